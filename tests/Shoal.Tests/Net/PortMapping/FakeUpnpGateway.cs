using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>
/// An Internet Gateway Device on 127.0.0.1 that behaves as miniupnpd does: an SSDP responder on a UDP port, and an
/// HTTP server for its description and the WANIPConnection:1 actions, with mappings in a table. Settings make it
/// refuse as real routers do.
/// </summary>
internal sealed class FakeUpnpGateway : IAsyncDisposable
{
    public const string ExternalAddress = "203.0.113.7";

    private readonly UdpClient _ssdp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly TcpListener _http = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ssdpLoop;
    private readonly Task _httpLoop;
    private int _searches;

    private FakeUpnpGateway()
    {
        _http.Start();
        _ssdpLoop = Task.Run(AnswerSearchesAsync);
        _httpLoop = Task.Run(ServeAsync);
    }

    public IPEndPoint SearchEndPoint => (IPEndPoint)_ssdp.Client.LocalEndPoint!;

    /// <summary>Which IGD it describes itself as: miniupnpd's default 2, or 1 as with <c>force_igd_desc_v1</c>.</summary>
    public int Version { get; set; } = 2;

    /// <summary>The host the search answer's LOCATION names: another than ours is what a LAN attacker would send.</summary>
    public string LocationHost { get; set; } = "127.0.0.1";

    /// <summary>External ports another host has mapped: asking for them is error 718.</summary>
    public ConcurrentDictionary<int, bool> TakenPorts { get; } = new();

    /// <summary>Error 725 for any lease but 0, as some routers answer.</summary>
    public bool OnlyPermanentLeases { get; set; }

    /// <summary>Error 724 when the external port differs from the internal one.</summary>
    public bool SamePortRequired { get; set; }

    /// <summary>The error every action fails with, when set.</summary>
    public (int Code, string Description)? RefuseAll { get; set; }

    /// <summary>The mappings made, by protocol and external port.</summary>
    public ConcurrentDictionary<(string Protocol, int ExternalPort), Mapping> Mappings { get; } = new();

    public ConcurrentQueue<string> Actions { get; } = new();

    public int Searches => _searches;

    public static FakeUpnpGateway Start() => new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _ssdp.Dispose();
        _http.Stop();
        await Task.WhenAll(_ssdpLoop, _httpLoop).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private int HttpPort => ((IPEndPoint)_http.LocalEndpoint).Port;

    /// <summary>Hands each received item to <paramref name="handle"/> until the gateway stops.</summary>
    private async Task LoopAsync<T>(Func<CancellationToken, ValueTask<T>> next, Func<T, Task> handle)
    {
        while (true)
        {
            T item;
            try
            {
                item = await next(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            await handle(item);
        }
    }

    private Task AnswerSearchesAsync() => LoopAsync(_ssdp.ReceiveAsync, async received =>
    {
        string search = Encoding.ASCII.GetString(received.Buffer);
        string? st = search.Split("\r\n").FirstOrDefault(l => l.StartsWith("ST: ", StringComparison.Ordinal))?[4..];
        if (search.StartsWith("M-SEARCH * HTTP/1.1\r\n", StringComparison.Ordinal) && st == SsdpCodec.GatewayDeviceTypes[0])
        {
            Interlocked.Increment(ref _searches);
            string answer = GatewaySamples.MiniupnpdSearchAnswer.Replace("192.168.77.1:39227", $"{LocationHost}:{HttpPort}", StringComparison.Ordinal);
            await _ssdp.SendAsync(Encoding.ASCII.GetBytes(answer), received.RemoteEndPoint);
        }
    });

    private Task ServeAsync() => LoopAsync(_http.AcceptTcpClientAsync, client =>
    {
        _ = Task.Run(() => AnswerAsync(client));
        return Task.CompletedTask;
    });

    /// <summary>One request per connection, as miniupnpd serves them (Connection: close).</summary>
    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            byte[] buffer = new byte[64 * 1024];
            int filled = 0, headEnd;
            while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(filled));
                if (read == 0)
                {
                    return;
                }

                filled += read;
            }

            string[] head = Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
            Dictionary<string, string> headers = head.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToUpperInvariant(), p => p[1].Trim());
            int length = headers.TryGetValue("CONTENT-LENGTH", out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            while (filled < headEnd + 4 + length)
            {
                filled += await stream.ReadAsync(buffer.AsMemory(filled));
            }

            string body = Encoding.UTF8.GetString(buffer, headEnd + 4, length);
            (int status, string content) = head[0] switch
            {
                "GET /rootDesc.xml HTTP/1.1" => (200, GatewaySamples.MiniupnpdDescription(Version)),
                "POST /ctl/IPConn HTTP/1.1" => Control(headers.GetValueOrDefault("SOAPACTION", ""), body, client),
                _ => (404, ""),
            };
            byte[] payload = Encoding.UTF8.GetBytes(content);
            string reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Internal Server Error";
            string responseHead = $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/xml; charset=\"utf-8\"\r\nConnection: close\r\nContent-Length: {payload.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(responseHead));
            await stream.WriteAsync(payload);
        }
    }

    private (int Status, string Body) Control(string soapAction, string body, TcpClient requester)
    {
        string action = soapAction.Trim('"').Split('#') is [{ } service, { } name] && service == ServiceType ? name : "";
        Actions.Enqueue(action);
        Dictionary<string, string> arguments = XDocument.Parse(body).Descendants()
            .Single(e => e.Name.LocalName == action).Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);
        if (RefuseAll is { } refusal)
        {
            return Fault(refusal.Code, refusal.Description);
        }

        switch (action)
        {
            case "GetExternalIPAddress":
                return Success(action, $"<NewExternalIPAddress>{ExternalAddress}</NewExternalIPAddress>");
            case "AddPortMapping":
                int external = int.Parse(arguments["NewExternalPort"], CultureInfo.InvariantCulture);
                int @internal = int.Parse(arguments["NewInternalPort"], CultureInfo.InvariantCulture);
                long lease = long.Parse(arguments["NewLeaseDuration"], CultureInfo.InvariantCulture);
                if (TakenPorts.ContainsKey(external))
                {
                    return Fault(SoapFault.ConflictInMappingEntry, "ConflictInMappingEntry");
                }

                if (SamePortRequired && external != @internal)
                {
                    return Fault(SoapFault.SamePortValuesRequired, "SamePortValuesRequired");
                }

                if (OnlyPermanentLeases && lease != 0)
                {
                    return Fault(SoapFault.OnlyPermanentLeasesSupported, "OnlyPermanentLeasesSupported");
                }

                // miniupnpd's secure_mode: a host maps ports only to itself.
                string internalClient = arguments["NewInternalClient"];
                if (internalClient != ((IPEndPoint)requester.Client.RemoteEndPoint!).Address.ToString())
                {
                    return Fault(606, "Action not authorized");
                }

                Mappings[(arguments["NewProtocol"], external)] = new Mapping(internalClient, @internal, lease, arguments["NewPortMappingDescription"], arguments["NewRemoteHost"], arguments["NewEnabled"]);
                return Success(action, "");
            case "DeletePortMapping":
                return Mappings.TryRemove((arguments["NewProtocol"], int.Parse(arguments["NewExternalPort"], CultureInfo.InvariantCulture)), out _)
                    ? Success(action, "")
                    : Fault(SoapFault.NoSuchEntryInArray, "NoSuchEntryInArray");
            default:
                return Fault(401, "Invalid Action");
        }
    }

    private string ServiceType => $"urn:schemas-upnp-org:service:WANIPConnection:{Version}";

    private (int, string) Success(string action, string values) =>
        (200, "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + $"<s:Body><u:{action}Response xmlns:u=\"{ServiceType}\">{values}</u:{action}Response></s:Body></s:Envelope>\r\n");

    private static (int, string) Fault(int code, string description) =>
        (500, "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
            + $"<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>{code}</errorCode><errorDescription>{description}</errorDescription></UPnPError>"
            + "</detail></s:Fault></s:Body></s:Envelope>\r\n");

    public sealed record Mapping(string InternalClient, int InternalPort, long LeaseSeconds, string Description, string RemoteHost, string Enabled);
}
