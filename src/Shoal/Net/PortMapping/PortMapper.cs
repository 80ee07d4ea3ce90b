using System.Net;

namespace Shoal.Net.PortMapping;

/// <summary>
/// Keeps the session's ports mapped on the home router: asks for each (TCP, then UDP) on the same external port as
/// ours, through the first client of <see cref="PortMappingSetup.Clients"/> that maps one, and keeps that one; renews
/// and retries on <see cref="PortMappingSchedule"/>; tells <see cref="ExternalAddressVotes"/> the external address the
/// gateway reports; deletes its mappings on a clean stop (<see cref="DisposeAsync"/>).
/// </summary>
public sealed class PortMapper : IAsyncDisposable
{
    /// <summary>A clean stop waits this long for the gateway to confirm the deletions: a silent one must not hold up the exit.</summary>
    public static readonly TimeSpan DeleteTimeout = TimeSpan.FromSeconds(4);

    private readonly PortMappingSetup _setup;
    private readonly ExternalAddressVotes _votes;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly PortMappingSchedule _schedule;
    private readonly IPAddress _listenAddress;
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private Gateway? _gateway;
    private IPortMappingClient? _client;

    /// <summary>
    /// Maps <paramref name="tcpPort"/> and <paramref name="udpPort"/>, each unless 0, when they listen on
    /// <paramref name="listenAddress"/>'s side of the gateway (any address, or ours towards the gateway).
    /// </summary>
    public PortMapper(int tcpPort, int udpPort, IPAddress listenAddress, PortMappingSetup setup, ExternalAddressVotes votes, TimeProvider time)
    {
        _listenAddress = listenAddress.IsIPv4MappedToIPv6 ? listenAddress.MapToIPv4() : listenAddress;
        _setup = setup;
        _votes = votes;
        _time = time;
        var ports = new List<(MappingProtocol, int)>(2);
        if (tcpPort != 0)
        {
            ports.Add((MappingProtocol.Tcp, tcpPort));
        }

        if (udpPort != 0)
        {
            ports.Add((MappingProtocol.Udp, udpPort));
        }

        _schedule = new PortMappingSchedule(ports, time.GetUtcNow());
    }

    /// <summary>Raised after each round of requests, off the caller's thread.</summary>
    public event Action? Changed;

    public IReadOnlyList<PortMappingStatus> Status
    {
        get
        {
            lock (_lock)
            {
                return _schedule.Statuses(_time.GetUtcNow());
            }
        }
    }

    public void Start() => _running = Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Stops renewing and deletes every mapping made, waiting at most <see cref="DeleteTimeout"/> for the gateway.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        IReadOnlyList<PortMappingLease> leases;
        lock (_lock)
        {
            leases = _schedule.Leases;
        }

        if (_client is not null)
        {
            using var timeout = new CancellationTokenSource(DeleteTimeout, _time);
            await Task.WhenAll(leases.Select(lease => DeleteQuietlyAsync(_client, lease, timeout.Token))).ConfigureAwait(false);
            await _client.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private static async Task DeleteQuietlyAsync(IPortMappingClient client, PortMappingLease lease, CancellationToken cancel)
    {
        try
        {
            await client.DeleteAsync(lease, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PortMappingException or OperationCanceledException)
        {
            // Unconfirmed: the lease ends on its own at its expiry.
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                IReadOnlyList<MappingProtocol> due;
                lock (_lock)
                {
                    due = _schedule.Due(_time.GetUtcNow());
                }

                // A gateway that is missing or maps nothing fails every port of the round alike, asked once.
                (string Error, PortMappingState State)? roundFailure = null;
                foreach (MappingProtocol protocol in due)
                {
                    if (roundFailure is { } failure)
                    {
                        Record(protocol, failure.Error, failure.State);
                        continue;
                    }

                    roundFailure = await MapAsync(protocol, stop).ConfigureAwait(false);
                }

                Changed?.Invoke();
                DateTimeOffset? next;
                lock (_lock)
                {
                    next = _schedule.NextDue;
                }

                if (next is null)
                {
                    return;
                }

                TimeSpan wait = next.Value - _time.GetUtcNow();
                await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Maps one port; a failure of the gateway itself (none, or no client works) is returned for the round's other ports.</summary>
    private async Task<(string, PortMappingState)?> MapAsync(MappingProtocol protocol, CancellationToken stop)
    {
        _gateway ??= _setup.FindGateway();
        if (_gateway is null)
        {
            (string, PortMappingState) none = ("no default IPv4 gateway (router) to ask", PortMappingState.NoGateway);
            Record(protocol, none.Item1, none.Item2);
            return none;
        }

        if (!_listenAddress.Equals(IPAddress.Any) && !_listenAddress.Equals(IPAddress.IPv6Any) && !_listenAddress.Equals(_gateway.InternalAddress))
        {
            (string, PortMappingState) elsewhere = ($"the router {_gateway.Address} forwards to {_gateway.InternalAddress}, and the session listens on {_listenAddress} only", PortMappingState.NoGateway);
            _gateway = null;
            Record(protocol, elsewhere.Item1, elsewhere.Item2);
            return elsewhere;
        }

        if (_client is not null)
        {
            try
            {
                await AddAsync(_client, protocol, stop).ConfigureAwait(false);
            }
            catch (PortMappingException e)
            {
                Record(protocol, e.Message, PortMappingState.Failed);
            }

            return null;
        }

        var errors = new List<string>(_setup.Clients.Count);
        foreach (PortMappingClientFactory factory in _setup.Clients)
        {
            IPortMappingClient client = factory(_gateway, _time);
            try
            {
                await AddAsync(client, protocol, stop).ConfigureAwait(false);
                _client = client;
                return null;
            }
            catch (PortMappingException e)
            {
                errors.Add(e.Message);
                await client.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        // The next round looks for the gateway again: the machine may have moved to another network.
        (string, PortMappingState) failed = ($"the router at {_gateway.Address} mapped no port: {string.Join("; ", errors)}", PortMappingState.Failed);
        _gateway = null;
        Record(protocol, failed.Item1, failed.Item2);
        return failed;
    }

    private async Task AddAsync(IPortMappingClient client, MappingProtocol protocol, CancellationToken stop)
    {
        int internalPort;
        int externalPort;
        lock (_lock)
        {
            internalPort = _schedule.InternalPort(protocol);
            externalPort = _schedule.WantedExternalPort(protocol);
        }

        PortMappingLease lease = await client.AddAsync(protocol, internalPort, externalPort, _setup.Lifetime, stop).ConfigureAwait(false);
        lock (_lock)
        {
            _schedule.Mapped(lease, _time.GetUtcNow());
        }

        try
        {
            IPAddress external = await client.GetExternalAddressAsync(stop).ConfigureAwait(false);
            _votes.Report(external, ExternalAddressSource.Gateway, _gateway!.Address.ToString());
        }
        catch (PortMappingException)
        {
            // The mapping holds; the external address comes from trackers and peers instead.
        }
    }

    private void Record(MappingProtocol protocol, string error, PortMappingState state)
    {
        lock (_lock)
        {
            _schedule.Failed(protocol, error, state, _time.GetUtcNow());
        }
    }
}
