using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.TrackerApi;

/// <summary>
/// Reads arrays and <see cref="IReadOnlyList{T}"/> of a reference type, refusing a null entry: nullable
/// annotations of list entries are not visible at run time, so <see cref="JsonSerializerOptions.RespectNullableAnnotations"/>
/// cannot check them. Every list of the API's contracts holds entries that are there.
/// </summary>
internal sealed class NonNullEntries : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => EntryOf(typeToConvert) is { IsValueType: false };

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<,>).MakeGenericType(typeToConvert, EntryOf(typeToConvert)!))!;

    private static Type? EntryOf(Type type) =>
        type.IsArray && type.GetArrayRank() == 1 ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0]
        : null;

    private sealed class Converter<TList, TEntry> : JsonConverter<TList>
        where TList : IEnumerable<TEntry>
    {
        public override TList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // A null token never reaches a converter: the property's own annotation judges it.
            List<TEntry> entries = JsonSerializer.Deserialize<List<TEntry>>(ref reader, options)!;
            if (entries.Exists(entry => entry is null))
            {
                throw new JsonException("a list has a null entry");
            }

            return (TList)(object)(typeToConvert.IsArray ? entries.ToArray() : entries);
        }

        public override void Write(Utf8JsonWriter writer, TList value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize<IEnumerable<TEntry>>(writer, value, options);
    }
}
