using System.Net.Sockets;
using System.Text;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>
/// One HTTP request with its request target exactly as given, over a plain socket: <see cref="HttpClient"/> would
/// normalise dot segments such as <c>%2E%2E</c> before sending.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string method, string target)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();

        // HTTP/1.0: the body is neither chunked nor kept alive, it ends with the connection.
        var request = $"{method} {target} HTTP/1.0\r\nHost: {server.Authority}\r\nContent-Length: 0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = response.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0 ? response[(end + 4)..] : "";
        return (status, body);
    }
}
