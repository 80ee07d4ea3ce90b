using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Shoal.Net.PortMapping;

/// <summary>
/// Port mapping through a UPnP Internet Gateway Device (IGD:1 and IGD:2) on the default gateway: SSDP finds its
/// description, which names the WANIPConnection or WANPPPConnection service, and SOAP actions on that service's
/// control URL add and delete mappings. The description is fetched on first use and again after the gateway stops
/// answering (miniupnpd, for one, takes a new HTTP port each time it starts). Every URL must be plain http on the
/// gateway's address.
/// </summary>
public sealed class UpnpIgdClient : IPortMappingClient
{
    /// <summary>WANIPConnection:2 (PortMappingLeaseDuration): the longest lease, and what a lease of 0 there stands for.</summary>
    private static readonly TimeSpan Version2MaxLease = TimeSpan.FromSeconds(604800);

    private readonly IPAddress _gatewayAddress;
    private readonly IPAddress _internalAddress;
    private readonly UpnpIgdOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _discovering = new(1, 1);
    private volatile UpnpGateway? _gateway;

    /// <summary>A client of <paramref name="gateway"/>, mapping ports to <paramref name="internalAddress"/>, our address towards it.</summary>
    public UpnpIgdClient(IPAddress gateway, IPAddress internalAddress, TimeProvider time, UpnpIgdOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(internalAddress);
        ArgumentNullException.ThrowIfNull(time);
        _gatewayAddress = gateway;
        _internalAddress = internalAddress;
        _time = time;
        _options = options ?? UpnpIgdOptions.Default;
        // No proxy: the gateway is on our link. No redirect: it could lead away from the gateway's address.
        var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        _http = new HttpClient(handler) { MaxResponseContentBufferSize = _options.MaxResponseBytes, Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc/>
    public string Method => "UPnP IGD";

    /// <summary>The gateway once its description is read: its address, our address towards it and its control URL.</summary>
    public UpnpGateway? Gateway => _gateway;

    /// <inheritdoc/>
    public async Task<IPAddress> GetExternalAddressAsync(CancellationToken cancel)
    {
        UpnpGateway gateway = await GatewayAsync(cancel).ConfigureAwait(false);
        SoapOutcome outcome = await InvokeAsync(gateway, "GetExternalIPAddress", [], cancel).ConfigureAwait(false);
        string text = outcome.Values is { } values ? values.GetValueOrDefault("NewExternalIPAddress", "") : throw Failure(gateway, "GetExternalIPAddress", outcome.Fault!);
        if (!IPAddress.TryParse(text, out IPAddress? address) || address.Equals(IPAddress.Any))
        {
            throw new PortMappingException($"the gateway {gateway.Device} has no external address ('{text}'): is it connected to the internet?");
        }

        return address;
    }

    /// <inheritdoc/>
    public async Task<PortMappingLease> AddAsync(MappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(internalPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(internalPort, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(externalPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(externalPort, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromSeconds(1));
        UpnpGateway gateway = await GatewayAsync(cancel).ConfigureAwait(false);
        UpnpPortMappingPlan plan = new(externalPort, internalPort, Math.Min((long)lifetime.TotalSeconds, (long)Version2MaxLease.TotalSeconds), _options.ConflictAttempts);
        while (true)
        {
            // The lease runs from when the gateway got the request, not from when its answer came.
            DateTimeOffset asked = _time.GetUtcNow();
            SoapOutcome outcome = await InvokeAsync(gateway, "AddPortMapping", AddArguments(gateway, protocol, internalPort, plan), cancel).ConfigureAwait(false);
            if (outcome.Fault is not { } fault)
            {
                return new PortMappingLease(Method, protocol, gateway.LocalAddress, internalPort, plan.ExternalPort, Expiry(gateway, asked, plan.LeaseSeconds));
            }

            if (!plan.Retry(fault))
            {
                throw Failure(gateway, $"AddPortMapping of {ProtocolName(protocol)} port {plan.ExternalPort} to {gateway.LocalAddress}:{internalPort}", fault);
            }
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(PortMappingLease lease, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(lease);
        UpnpGateway gateway = await GatewayAsync(cancel).ConfigureAwait(false);
        KeyValuePair<string, string>[] arguments =
        [
            new("NewRemoteHost", ""),
            new("NewExternalPort", lease.ExternalPort.ToString(CultureInfo.InvariantCulture)),
            new("NewProtocol", ProtocolName(lease.Protocol)),
        ];
        SoapOutcome outcome = await InvokeAsync(gateway, "DeletePortMapping", arguments, cancel).ConfigureAwait(false);
        // 714: the mapping is already gone (expired, or the router restarted), which is what a delete wants.
        if (outcome.Fault is { } fault && fault.Code != SoapFault.NoSuchEntryInArray)
        {
            throw Failure(gateway, $"DeletePortMapping of {ProtocolName(lease.Protocol)} port {lease.ExternalPort}", fault);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        _discovering.Dispose();
        return ValueTask.CompletedTask;
    }

    private static KeyValuePair<string, string>[] AddArguments(UpnpGateway gateway, MappingProtocol protocol, int internalPort, UpnpPortMappingPlan plan) =>
    [
        // In the order the service template lists them, which some routers hold to.
        new("NewRemoteHost", ""),
        new("NewExternalPort", plan.ExternalPort.ToString(CultureInfo.InvariantCulture)),
        new("NewProtocol", ProtocolName(protocol)),
        new("NewInternalPort", internalPort.ToString(CultureInfo.InvariantCulture)),
        new("NewInternalClient", gateway.LocalAddress.ToString()),
        new("NewEnabled", "1"),
        new("NewPortMappingDescription", gateway.Description),
        new("NewLeaseDuration", plan.LeaseSeconds.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string ProtocolName(MappingProtocol protocol) => protocol == MappingProtocol.Tcp ? "TCP" : "UDP";

    private static DateTimeOffset Expiry(UpnpGateway gateway, DateTimeOffset asked, long leaseSeconds) => leaseSeconds switch
    {
        > 0 => asked.AddSeconds(leaseSeconds),
        _ when gateway.ControlPoint.IsVersion2 => asked + Version2MaxLease,
        _ => DateTimeOffset.MaxValue,
    };

    private static PortMappingException Failure(UpnpGateway gateway, string what, SoapFault fault) =>
        new($"the gateway {gateway.Device} refused {what}: {fault.Explain()}");

    private async Task<UpnpGateway> GatewayAsync(CancellationToken cancel)
    {
        if (_gateway is { } known)
        {
            return known;
        }

        await _discovering.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            return _gateway ??= await DiscoverAsync(cancel).ConfigureAwait(false);
        }
        finally
        {
            _discovering.Release();
        }
    }

    private async Task<UpnpGateway> DiscoverAsync(CancellationToken cancel)
    {
        SsdpResponse answer = await SsdpDiscovery.SearchAsync(_gatewayAddress, _internalAddress, _options, _time, cancel).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Get, answer.Location);
        (byte[] body, bool ok) = await SendAsync(answer.Location, request, cancel).ConfigureAwait(false);
        if (!ok)
        {
            throw new PortMappingException($"{answer.Location}: the gateway would not give its description");
        }

        UpnpControlPoint control = UpnpDeviceDescription.Parse(body, answer.Location, _options.MaxResponseBytes);
        if (control.ControlUrl.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(control.ControlUrl.Host, out IPAddress? host) || !host.Equals(_gatewayAddress))
        {
            throw new PortMappingException($"{answer.Location}: its control URL {control.ControlUrl} is not plain http on the gateway {_gatewayAddress}, and is not followed");
        }

        return new UpnpGateway(_gatewayAddress, _internalAddress, control, _options.Description);
    }

    private async Task<SoapOutcome> InvokeAsync(UpnpGateway gateway, string action, KeyValuePair<string, string>[] arguments, CancellationToken cancel)
    {
        string serviceType = gateway.ControlPoint.ServiceType;
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.ControlPoint.ControlUrl)
        {
            Content = new ByteArrayContent(SoapCodec.EncodeAction(serviceType, action, arguments)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "\"utf-8\"" };
        request.Headers.TryAddWithoutValidation("SOAPAction", SoapCodec.ActionHeader(serviceType, action));
        (byte[] body, bool ok) = await SendAsync(gateway.ControlPoint.ControlUrl, request, cancel).ConfigureAwait(false);
        if (ok)
        {
            return new SoapOutcome(SoapCodec.DecodeResponse(body, action, _options.MaxResponseBytes), null);
        }

        // UDA 1.1 3.2.2: a failed action is HTTP 500 with a SOAP fault carrying UPnPError.
        SoapFault fault = SoapCodec.DecodeFault(body, _options.MaxResponseBytes)
            ?? throw new PortMappingException($"the gateway {gateway.Device} failed {action} without saying why (no UPnPError in its answer)");
        return new SoapOutcome(null, fault);
    }

    /// <summary>One bounded HTTP exchange; a gateway that cannot be reached is forgotten, so the next call searches again.</summary>
    private async Task<(byte[] Body, bool Ok)> SendAsync(Uri url, HttpRequestMessage request, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.HttpTimeout);
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return (await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false), response.IsSuccessStatusCode);
        }
        catch (OperationCanceledException e) when (!cancel.IsCancellationRequested)
        {
            _gateway = null;
            throw new PortMappingException($"{url}: the gateway did not answer within {_options.HttpTimeout.TotalSeconds:0.###} s", e);
        }
        catch (HttpRequestException e)
        {
            _gateway = null;
            throw new PortMappingException($"{url}: {e.Message} (a gateway that restarted is searched for again on the next try)", e);
        }
    }

    private sealed record SoapOutcome(IReadOnlyDictionary<string, string>? Values, SoapFault? Fault);
}
