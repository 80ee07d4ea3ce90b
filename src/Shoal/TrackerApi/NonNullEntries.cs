using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.TrackerApi;

/// <summary>
/// Reads the contracts' arrays and <see cref="IReadOnlyList{T}"/>s, refusing a null entry: nullable annotations of
/// list entries are not visible at run time, so <see cref="JsonSerializerOptions.RespectNullableAnnotations"/>
/// cannot check them. Every list of the API's contracts holds entries that are there. Each list type is named here
/// (the binary is compiled ahead of time: no converter can be made for a type at run time); a test checks that every
/// list in <see cref="TrackerApiJsonContext"/> is.
/// </summary>
internal sealed class NonNullEntries : JsonConverterFactory
{
    private static readonly FrozenDictionary<Type, JsonConverter> Converters = new JsonConverter[]
    {
        new ReadOnlyList<string>(),
        new ReadOnlyList<IndexedFile>(),
        new ReadOnlyList<GroupSummary>(),
        new ReadOnlyList<JoinRequest>(),
        new ReadOnlyList<GroupFile>(),
        new Array<GroupSummary>(),
        new Array<JoinRequest>(),
        new Array<GroupFile>(),
    }.ToFrozenDictionary(converter => converter.Type!);

    public override bool CanConvert(Type typeToConvert) => Converters.ContainsKey(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) => Converters[typeToConvert];

    private abstract class Entries<TList, TEntry> : JsonConverter<TList>
        where TList : IEnumerable<TEntry>
    {
        public override TList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // A null token never reaches a converter: the property's own annotation judges it.
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("a list is not a JSON array");
            }

            JsonTypeInfo<TEntry> entry = TrackerApiJson.Info<TEntry>(options);
            var entries = new List<TEntry>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                entries.Add(JsonSerializer.Deserialize(ref reader, entry) ?? throw new JsonException("a list has a null entry"));
            }

            return Of(entries);
        }

        public override void Write(Utf8JsonWriter writer, TList value, JsonSerializerOptions options)
        {
            JsonTypeInfo<TEntry> entry = TrackerApiJson.Info<TEntry>(options);
            writer.WriteStartArray();
            foreach (TEntry item in value)
            {
                JsonSerializer.Serialize(writer, item, entry);
            }

            writer.WriteEndArray();
        }

        protected abstract TList Of(List<TEntry> entries);
    }

    private sealed class ReadOnlyList<TEntry> : Entries<IReadOnlyList<TEntry>, TEntry>
    {
        protected override IReadOnlyList<TEntry> Of(List<TEntry> entries) => entries;
    }

    private sealed class Array<TEntry> : Entries<TEntry[], TEntry>
    {
        protected override TEntry[] Of(List<TEntry> entries) => entries.ToArray();
    }
}
