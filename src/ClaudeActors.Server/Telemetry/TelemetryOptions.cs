using System.ComponentModel.DataAnnotations;

namespace ClaudeActors.Server.Telemetry;

/// <summary>Metrics and traces. Bound from <c>ClaudeActors:Telemetry</c>.</summary>
internal sealed class TelemetryOptions : IValidatableObject
{
    public const string SectionName = "ClaudeActors:Telemetry";

    /// <summary>The service name on metrics and spans (OpenTelemetry's <c>service.name</c>). Default claude-actors.</summary>
    [Required]
    [MinLength(1)]
    public string ServiceName { get; set; } = "claude-actors";

    /// <summary>
    /// An OTLP collector to send spans to (<c>http://host:4317</c> for gRPC, or with <see cref="OtlpProtocol"/> HttpProtobuf
    /// <c>http://host:4318/v1/traces</c>). Default null: spans are not exported.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>Grpc or HttpProtobuf. Default Grpc.</summary>
    public OpenTelemetry.Exporter.OtlpExportProtocol OtlpProtocol { get; set; } = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint is not null && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult("must be an absolute http:// or https:// URL", [nameof(OtlpEndpoint)]);
        }
    }
}
