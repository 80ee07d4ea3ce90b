using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shoal.TrackerApi;

/// <summary>
/// The JSON of a Shoal tracker's API, both sides, and of <c>login.json</c>: System.Text.Json web defaults
/// (camelCase), strict about what the contracts say is there. A missing field, a null where the type allows
/// none, or a null entry in a list is a <see cref="JsonException"/>, not a null for the CLI, the node or the
/// tracker to trip over later. Only the contracts of <see cref="TrackerApiJsonContext"/> are known: anything else
/// is a <see cref="NotSupportedException"/> in every build, not only in the ahead-of-time one.
/// </summary>
public static class TrackerApiJson
{
    public static JsonSerializerOptions Options { get; } = Strict(writeIndented: false);

    /// <summary><see cref="Options"/>, written indented for a file people may read.</summary>
    public static JsonSerializerOptions Indented { get; } = Strict(writeIndented: true);

    /// <summary>How <see cref="Options"/> reads and writes <typeparamref name="T"/>.</summary>
    public static JsonTypeInfo<T> Info<T>() => Info<T>(Options);

    /// <summary>How <paramref name="options"/> (<see cref="Options"/> or <see cref="Indented"/>) reads and writes <typeparamref name="T"/>.</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    private static JsonSerializerOptions Strict(bool writeIndented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            WriteIndented = writeIndented,
            TypeInfoResolver = TrackerApiJsonContext.Default,
        };
        options.Converters.Add(new NonNullEntries());
        options.MakeReadOnly();
        return options;
    }
}
