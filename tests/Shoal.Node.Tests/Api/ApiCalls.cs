using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shoal.Node.Tests.Api;

/// <summary>The API calls the tests make, answers read as JSON documents.</summary>
internal static class ApiCalls
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> AddJsonAsync(HttpClient client, object body) =>
        SendAsync(client, HttpMethod.Post, "api/v1/torrents", JsonContent.Create(body));

    public static Task<(HttpStatusCode Status, JsonElement Body)> AddTorrentFileAsync(HttpClient client, byte[] torrent, string? savePath = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(torrent), "torrent", "x.torrent" } };
        if (savePath is not null)
        {
            form.Add(new StringContent(savePath), "savePath");
        }

        return SendAsync(client, HttpMethod.Post, "api/v1/torrents", form);
    }

    /// <summary>Asks for the torrent until its state is <paramref name="state"/>, for up to 30 s.</summary>
    public static async Task<JsonElement> WaitForStateAsync(HttpClient client, string id, string state)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            (HttpStatusCode status, JsonElement body) = await SendAsync(client, HttpMethod.Get, $"api/v1/torrents/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.GetProperty("state").GetString() == state || DateTime.UtcNow > deadline)
            {
                Assert.Equal(state, body.GetProperty("state").GetString());
                return body;
            }

            await Task.Delay(50);
        }
    }
}
