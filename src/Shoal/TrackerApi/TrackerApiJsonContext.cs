using System.Text.Json;
using System.Text.Json.Serialization;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;

namespace Shoal.TrackerApi;

/// <summary>
/// The JSON contracts of a Shoal tracker's API and of <c>login.json</c>, generated at build time: the shoal binary is
/// compiled ahead of time, with no reflection to discover them. Lists appear in both shapes the two sides use (the
/// tracker writes lists, clients read arrays).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Credentials))]
[JsonSerializable(typeof(UserCreated))]
[JsonSerializable(typeof(LoginResult))]
[JsonSerializable(typeof(PasswordChange))]
[JsonSerializable(typeof(AccountInfo))]
[JsonSerializable(typeof(NewGroup))]
[JsonSerializable(typeof(GroupSummary))]
[JsonSerializable(typeof(GroupSummary[]))]
[JsonSerializable(typeof(IReadOnlyList<GroupSummary>))]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(JoinRequest[]))]
[JsonSerializable(typeof(IReadOnlyList<JoinRequest>))]
[JsonSerializable(typeof(GroupFile))]
[JsonSerializable(typeof(GroupFile[]))]
[JsonSerializable(typeof(IReadOnlyList<GroupFile>))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(FilePage))]
[JsonSerializable(typeof(IndexedFile))]
[JsonSerializable(typeof(LoginState))]
internal sealed partial class TrackerApiJsonContext : JsonSerializerContext;
