using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Node.Settings;

/// <summary>How the settings are kept in the store: the API's camelCase JSON.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeSettings))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext;
