using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ClaudeActors.IntegrationTests.Support;

/// <summary>
/// A fault for tests: a request that carries <see cref="Trigger"/> gets response headers that throw when the header it
/// names is set, as Kestrel throws for a value outside ASCII. Everything else reaches the real response.
/// </summary>
internal static class HeaderFault
{
    public const string Trigger = "X-Test-Refuse-Response-Header";

    /// <summary>Adds the middleware in front of the endpoints (pass it as the gateway's <c>configureApp</c>).</summary>
    public static void Install(WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Request.Headers.TryGetValue(Trigger, out var refused) && http.Features.Get<IHttpResponseFeature>() is { } inner)
        {
            http.Features.Set<IHttpResponseFeature>(new RefusingResponse(inner, refused.ToString()));
        }

        await next(http);
    });

    private sealed class RefusingResponse(IHttpResponseFeature inner, string refused) : IHttpResponseFeature
    {
        public int StatusCode { get => inner.StatusCode; set => inner.StatusCode = value; }

        public string? ReasonPhrase { get => inner.ReasonPhrase; set => inner.ReasonPhrase = value; }

        public IHeaderDictionary Headers { get; set; } = new RefusingHeaders(inner.Headers, refused);

        [Obsolete("Use IHttpResponseBodyFeature.")]
        public Stream Body { get => inner.Body; set => inner.Body = value; }

        public bool HasStarted => inner.HasStarted;

        public void OnStarting(Func<object, Task> callback, object state) => inner.OnStarting(callback, state);

        public void OnCompleted(Func<object, Task> callback, object state) => inner.OnCompleted(callback, state);
    }

    private sealed class RefusingHeaders(IHeaderDictionary inner, string refused) : IHeaderDictionary
    {
        public StringValues this[string key]
        {
            get => inner[key];
            set => inner[Check(key)] = value;
        }

        public long? ContentLength { get => inner.ContentLength; set => inner.ContentLength = value; }

        public ICollection<string> Keys => inner.Keys;

        public ICollection<StringValues> Values => inner.Values;

        public int Count => inner.Count;

        public bool IsReadOnly => inner.IsReadOnly;

        public void Add(string key, StringValues value) => inner[Check(key)] = value;

        public void Add(KeyValuePair<string, StringValues> item) => inner[Check(item.Key)] = item.Value;

        public void Clear() => inner.Clear();

        public bool Contains(KeyValuePair<string, StringValues> item) => inner.Contains(item);

        public bool ContainsKey(string key) => inner.ContainsKey(key);

        public void CopyTo(KeyValuePair<string, StringValues>[] array, int arrayIndex) => inner.CopyTo(array, arrayIndex);

        public IEnumerator<KeyValuePair<string, StringValues>> GetEnumerator() => inner.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public bool Remove(string key) => inner.Remove(key);

        public bool Remove(KeyValuePair<string, StringValues> item) => inner.Remove(item);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out StringValues value) => inner.TryGetValue(key, out value);

        private string Check(string key) => string.Equals(key, refused, StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"The test refuses the response header '{key}'.")
            : key;
    }
}
