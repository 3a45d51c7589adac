using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClaudeActors.Hosting;

/// <summary>
/// Validates an options class by its data annotations and names each bad setting by its configuration key
/// (<c>ClaudeActors:Workers:MaxConcurrency</c>), so a bad value stops start-up with a message a reader can act on.
/// </summary>
internal sealed class SectionValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{sectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}

internal static class ValidatedOptionsExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> to <paramref name="sectionName"/>, validated at start-up.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName));
        return services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
    }
}
