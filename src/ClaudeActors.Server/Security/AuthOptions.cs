using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Server.Security;

/// <summary>Who may call the server: API keys and their tenants. Bound from <c>ClaudeActors:Auth</c>.</summary>
internal sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "ClaudeActors:Auth";

    /// <summary>The keys (<c>ClaudeActors:Auth:Keys:&lt;n&gt;:Tenant</c>, <c>...:Hash</c>, ...). Default none.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>
    /// One key in plain text, as the second seed gateway's <c>API_KEY</c> sets it: an admin key of the tenant
    /// <c>default</c> (it sees everything, and its conversations keep plain ids), kept only as its hash. Default none.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The keys configured in the settings: <see cref="Keys"/>, and <see cref="ApiKey"/> as an admin key of <c>default</c>.</summary>
    public IReadOnlyList<ApiKeyOptions> ConfiguredKeys() => string.IsNullOrEmpty(ApiKey)
        ? Keys
        : [.. Keys, new ApiKeyOptions { Tenant = ClaudeActors.Tenants.ConversationKey.DefaultTenant, Name = "API_KEY", Hash = KeyTable.HashOf(ApiKey), Admin = true }];

    /// <summary>
    /// A JSON file of more keys, <c>{"keys": [{"tenant": ..., "hash": "sha256:..."}]}</c>, read again whenever it changes
    /// (a file that does not read keeps the keys last read). Default none.
    /// </summary>
    public string? KeysFile { get; set; }

    /// <summary>
    /// Lets the server bind to a non-loopback address with no key configured, so that anyone who reaches it may use it.
    /// Default false: such a start is refused.
    /// </summary>
    public bool AllowUnauthenticated { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(Keys[i], new ValidationContext(Keys[i]), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    yield return new ValidationResult(result.ErrorMessage, [.. result.MemberNames.Select(m => $"{nameof(Keys)}:{i}:{m}")]);
                }
            }
        }
    }
}
