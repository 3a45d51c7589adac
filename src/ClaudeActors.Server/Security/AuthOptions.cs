using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Server.Security;

/// <summary>Who may call the server: API keys and their tenants. Bound from <c>ClaudeActors:Auth</c>.</summary>
internal sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "ClaudeActors:Auth";

    /// <summary>The keys (<c>ClaudeActors:Auth:Keys:&lt;n&gt;:Tenant</c>, <c>...:Hash</c>, ...). Default none.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

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
