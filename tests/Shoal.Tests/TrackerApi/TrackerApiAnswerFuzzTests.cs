using System.Net;
using System.Text.Json;
using Shoal.Tests.Fuzzing;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using Xunit.Abstractions;

namespace Shoal.Tests.TrackerApi;

/// <summary>
/// Random and mutated answers of a tracker's API, and logins read back from disk: the clients' own exception
/// or a value whose every field the type says is there, is there (the CLI and the node use them without checking).
/// </summary>
[Trait("Category", "Fuzz")]
public class TrackerApiAnswerFuzzTests(ITestOutputHelper output)
{
    private const int PerRun = 20_000;
    private static readonly DateTimeOffset When = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Mutated_api_answers_are_refused_or_whole()
    {
        var file = new IndexedFile { Name = "a", Size = 1, InfoHashV1 = new string('a', 40), Magnet = "magnet:?xt=urn:btih:" + new string('a', 40), Registered = When };
        (object Answer, Func<TrackerIndexClient, TrackerAccountClient, Task<int>> Ask)[] endpoints =
        [
            (new FilePage { Total = 1, Page = 1, PerPage = 50, Files = [file] }, async (index, _) => Touch(await index.GetFilesAsync(null, 1, 50, default))),
            (file, async (index, _) => Touch(await index.RegisterAsync(new byte[1], default))),
            (new[] { new GroupSummary("g", "alice", 2) }, async (_, accounts) => (await accounts.GetGroupsAsync(default)).Sum(g => g.Name.Length + g.Owner.Length)),
            (new AccountInfo("alice", ["g"]), async (_, accounts) => Touch(await accounts.GetAccountAsync(default))),
            (new LoginResult("alice", "token", "passkey", When), async (_, accounts) => Touch(await accounts.LoginAsync(new Credentials("alice", "x"), default))),
            (new[] { new JoinRequest("bob", When) }, async (_, accounts) => (await accounts.GetJoinRequestsAsync("g", default)).Sum(r => r.User.Length)),
            (new[] { new GroupFile("a", 1, "alice", null, new string('b', 64), 1, 0, When) }, async (_, accounts) => (await accounts.GetGroupFilesAsync("g", default)).Sum(f => f.Name.Length + f.Owner.Length)),
        ];
        byte[][] seeds = [.. endpoints.Select(e => JsonSerializer.SerializeToUtf8Bytes(e.Answer, JsonSerializerOptions.Web))];
        var mutator = new Mutator(404);
        using var handler = new AnswerHandler();
        using var http = new HttpClient(handler);
        var index = new TrackerIndexClient(new Uri("http://127.0.0.1:1/"), http);
        var accounts = new TrackerAccountClient(new Uri("http://127.0.0.1:1/"), http, "token");

        FuzzResult result = FuzzRun.Run(output, "tracker api answer", PerRun, i => i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seeds[i % seeds.Length]), body =>
        {
            handler.Body = body;
            handler.Status = body.Length % 5 == 0 ? HttpStatusCode.BadRequest : HttpStatusCode.OK;
            try
            {
                endpoints[body.Length % endpoints.Length].Ask(index, accounts).GetAwaiter().GetResult();
                return true;
            }
            catch (Exception e) when (e is TrackerIndexException or TrackerAccountException)
            {
                return false;
            }
        });
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_login_files_are_refused_or_whole()
    {
        byte[] seed = JsonSerializer.SerializeToUtf8Bytes(
            new LoginState(new Uri("http://127.0.0.1:7000/"), new Uri("http://127.0.0.1:7000/announce"), "alice", "token", "passkey", When),
            JsonSerializerOptions.Web);
        var mutator = new Mutator(600);
        FuzzResult result = FuzzRun.Run(output, "login file", 100_000, i => i % 10 == 0 ? mutator.RandomBytes(200) : mutator.Mutate(seed), json =>
            FuzzRun.Accepts<IOException>(() => Touch(LoginFile.Parse(json, "login.json"))));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    // Reads every field the way the CLI and the node do, which throws on a null the type does not allow.
    private static int Touch(FilePage page) => page.Files.Sum(Touch);

    private static int Touch(IndexedFile file) => file.Name.Length + file.Magnet.Length;

    private static int Touch(AccountInfo account) => account.Name.Length + account.Groups.Sum(g => g.Length);

    private static int Touch(LoginResult login) => login.Name.Length + login.Token.Length + login.Passkey.Length;

    private static int Touch(LoginState login) =>
        login.Tracker.AbsoluteUri.Length + login.Name.Length + login.Token.Length + login.RewriteAnnounceUrl(new Uri("http://127.0.0.1:7000/announce")).AbsoluteUri.Length;

    /// <summary>Answers every request with <see cref="Body"/>, as a tracker would, without a socket.</summary>
    private sealed class AnswerHandler : HttpMessageHandler
    {
        public byte[] Body { get; set; } = [];

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Status) { Content = new ByteArrayContent(Body) });
    }
}
