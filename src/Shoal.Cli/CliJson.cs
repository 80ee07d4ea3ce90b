using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Shoal.Cli.Commands;
using Shoal.Cli.Doctor;
using Shoal.Node.Api;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.Cli;

/// <summary>
/// What `--json` prints: System.Text.Json web defaults (camelCase), indented, text as it is (file names with
/// <c>&amp;</c> or <c>'</c> unescaped: the output is read by scripts and people, never pasted into HTML). Generated at
/// build time: the shoal binary is compiled ahead of time.
/// </summary>
[JsonSerializable(typeof(TorrentSummary))]
[JsonSerializable(typeof(TorrentList))]
[JsonSerializable(typeof(FilePage))]
[JsonSerializable(typeof(GroupSummary[]))]
[JsonSerializable(typeof(GroupFile[]))]
[JsonSerializable(typeof(JoinRequest[]))]
[JsonSerializable(typeof(DhtSummary))]
[JsonSerializable(typeof(DoctorJson))]
public sealed partial class CliJson : JsonSerializerContext
{
    public static CliJson Output { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Task WriteAsync<T>(TextWriter output, T value, JsonTypeInfo<T> type)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.WriteLineAsync(JsonSerializer.Serialize(value, type));
    }
}
