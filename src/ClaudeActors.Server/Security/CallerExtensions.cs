namespace ClaudeActors.Server.Security;

internal static class CallerExtensions
{
    /// <summary>The request's caller; <see cref="Caller.Open"/> outside the authenticated paths.</summary>
    public static Caller Caller(this HttpContext http) =>
        http.Features.Get<Caller>() ?? Security.Caller.Open;

    /// <summary>The tenant whose conversations the request reaches.</summary>
    public static string Tenant(this HttpContext http) => http.Caller().Tenant;
}
