using System.Text.Json;

namespace Shoal.TrackerApi;

/// <summary>
/// The JSON of a Shoal tracker's API, both sides, and of <c>login.json</c>: System.Text.Json web defaults
/// (camelCase), strict about what the contracts say is there. A missing field, a null where the type allows
/// none, or a null entry in a list is a <see cref="JsonException"/>, not a null for the CLI, the node or the
/// tracker to trip over later.
/// </summary>
public static class TrackerApiJson
{
    public static JsonSerializerOptions Options { get; } = Strict(writeIndented: false);

    /// <summary><see cref="Options"/>, written indented for a file people may read.</summary>
    public static JsonSerializerOptions Indented { get; } = Strict(writeIndented: true);

    private static JsonSerializerOptions Strict(bool writeIndented)
    {
        var options = new JsonSerializerOptions(JsonSerializerOptions.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = writeIndented,
        };
        options.Converters.Add(new NonNullEntries());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
