using System.Text.Json;

namespace Shoal.Cli;

/// <summary>What `--json` prints: System.Text.Json web defaults (camelCase), indented.</summary>
public static class CliJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static Task WriteAsync<T>(TextWriter output, T value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Options));
}
