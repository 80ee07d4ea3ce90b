using System.Net;
using System.Text;

namespace Shoal.Tracker.Tests.Accounts;

public sealed class AccountAbuseTests
{
    [Fact]
    public async Task Probing_whether_names_exist_is_throttled_per_address()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        await AccountApi.Of(tracker).SignUpAsync("alice");
        using HttpClient prober = LoopbackClient.From(IPAddress.Parse("127.0.0.5"), tracker);
        var fromProber = new AccountApi(prober);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 31; i++)
        {
            using HttpResponseMessage response = await fromProber.CreateUserAsync("alice");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Conflict, 30).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.Conflict, (await AccountApi.Of(tracker).CreateUserAsync("alice")).StatusCode);
    }

    [Fact]
    public async Task A_user_owns_at_most_the_group_cap_and_may_create_again_after_deleting_one()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { MaxGroupsPerUser = 3 });
        var api = AccountApi.Of(tracker);
        Shoal.TrackerApi.Accounts.LoginResult alice = await api.SignUpAsync("alice");
        Shoal.TrackerApi.Accounts.LoginResult bob = await api.SignUpAsync("bob");
        for (int i = 0; i < 3; i++)
        {
            await api.CreateGroupAsync(alice, $"group-{i}");
        }

        using HttpResponseMessage refused = await api.SendJsonAsync(HttpMethod.Post, "api/groups", alice, new Shoal.TrackerApi.Accounts.NewGroup("group-3"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("already owns 3 groups", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await api.CreateGroupAsync(bob, "bobs-group");

        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/group-0", alice));
        await api.CreateGroupAsync(alice, "group-3");
    }

    [Fact]
    public async Task A_chunked_json_body_over_16_KiB_is_refused_as_too_large()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        string json = $$"""{"name":"{{new string('a', 1 << 20)}}","password":"correct horse battery"}""";
        // A stream of unknown length goes out chunked, with no Content-Length to check up front.
        using var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        body.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/users", UriKind.Relative)) { Content = body };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await tracker.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
