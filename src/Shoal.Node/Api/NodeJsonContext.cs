using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shoal.Node.Api;

/// <summary>The API's JSON, generated at build time: camelCase names, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(TorrentView))]
[JsonSerializable(typeof(TorrentList))]
[JsonSerializable(typeof(TorrentDetails))]
[JsonSerializable(typeof(TorrentLimitsPatch))]
[JsonSerializable(typeof(GroupsView))]
[JsonSerializable(typeof(GetGroupFileRequest))]
[JsonSerializable(typeof(Settings.NodeSettingsView))]
[JsonSerializable(typeof(Settings.NodeSettingsPatch))]
[JsonSerializable(typeof(AddTorrentRequest))]
[JsonSerializable(typeof(NodeStats))]
[JsonSerializable(typeof(EventSnapshot))]
[JsonSerializable(typeof(TorrentRemoved))]
internal sealed partial class NodeJsonContext : JsonSerializerContext;
