using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Shoal.TrackerApi;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.Tests.TrackerApi;

public class TrackerApiJsonTests
{
    // Every list the contracts hold, at the top or in a property, is checked for null entries: a list type added to a
    // contract without a converter would let a null through unnoticed.
    [Fact]
    public void Every_list_of_the_contracts_refuses_null_entries()
    {
        Type[] lists = [.. typeof(TrackerApiJsonContext).GetProperties()
            .Select(p => p.PropertyType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(t => t.GetGenericArguments()[0])
            .Where(IsListOfReferences)];

        Assert.Contains(typeof(GroupSummary[]), lists);
        Assert.Contains(typeof(IReadOnlyList<string>), lists);
        Assert.All(lists, list => Assert.True(new NonNullEntries().CanConvert(list), $"{list} has no null check"));
    }

    [Fact]
    public void A_null_entry_is_refused_at_the_top_and_in_a_property()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""[{"name":"g","owner":"o","members":1},null]""", TrackerApiJson.Info<GroupSummary[]>()));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"name":"a","groups":["g",null]}""", TrackerApiJson.Info<AccountInfo>()));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"total":1,"page":1,"perPage":1,"files":[null]}""", TrackerApiJson.Info<FilePage>()));
    }

    [Fact]
    public void Lists_are_written_as_arrays_and_read_back()
    {
        IReadOnlyList<GroupSummary> groups = [new("g", "o", 2), new("h", "p", 1)];

        string json = JsonSerializer.Serialize(groups, TrackerApiJson.Info<IReadOnlyList<GroupSummary>>());

        Assert.Equal("""[{"name":"g","owner":"o","members":2},{"name":"h","owner":"p","members":1}]""", json);
        Assert.Equal(groups, JsonSerializer.Deserialize(json, TrackerApiJson.Info<GroupSummary[]>()));
    }

    [Fact]
    public void A_type_outside_the_contracts_is_not_serialized_by_reflection()
    {
        Assert.Throws<NotSupportedException>(() => TrackerApiJson.Info<Uri[]>());
    }

    private static bool IsListOfReferences(Type type) =>
        (type.IsArray && type.GetElementType() is { IsValueType: false })
        || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && !type.GetGenericArguments()[0].IsValueType);
}
