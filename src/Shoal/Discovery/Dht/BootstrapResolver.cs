using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Shoal.Discovery.Dht;

/// <summary>
/// Resolves bootstrap host names off the DHT's lock, and again later for those that failed while the node has no live
/// node: one minute after the start, then doubling up to a quarter of an hour. A name that does not resolve is logged,
/// never fatal: the other names, a saved table or peers' PORT messages may still get us in.
/// </summary>
internal sealed class BootstrapResolver
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(16);

    private readonly Lock _lock = new();
    private readonly IReadOnlyList<EndPoint> _hosts;
    private readonly IPEndPoint[]?[] _addresses;
    private readonly string?[] _errors;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Bootstrap nodes given as addresses (<see cref="IPEndPoint"/>) count as resolved; host names (<see cref="DnsEndPoint"/>) are resolved by <see cref="RunAsync"/>.</summary>
    public BootstrapResolver(IReadOnlyList<EndPoint> hosts, Func<string, CancellationToken, Task<IPAddress[]>> resolve, TimeProvider time, ILogger logger)
    {
        _hosts = hosts;
        _addresses = [.. hosts.Select(h => h is IPEndPoint address ? new[] { address } : null)];
        _errors = new string?[hosts.Count];
        _resolve = resolve;
        _time = time;
        _logger = logger;
    }

    /// <summary>Each host with what it resolved to, and whether one of <paramref name="answered"/> is among its addresses.</summary>
    public IReadOnlyList<DhtBootstrapHost> Snapshot(IReadOnlyCollection<IPEndPoint> answered)
    {
        lock (_lock)
        {
            return [.. _hosts.Select((host, i) => new DhtBootstrapHost(
                host is DnsEndPoint name ? $"{name.Host}:{name.Port}" : host.ToString()!,
                _addresses[i] ?? [],
                _addresses[i]?.Any(answered.Contains) == true,
                _errors[i]))];
        }
    }

    /// <summary>Resolves until every name has, handing each name's addresses to <paramref name="found"/>; retries only while <paramref name="joined"/> is false.</summary>
    public async Task RunAsync(Action<IReadOnlyList<IPEndPoint>> found, Func<bool> joined, CancellationToken cancellationToken)
    {
        TimeSpan wait = FirstRetry;
        await ResolvePendingAsync(found, cancellationToken).ConfigureAwait(false);
        while (!AllResolved)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
            if (!joined())
            {
                await ResolvePendingAsync(found, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool AllResolved
    {
        get
        {
            lock (_lock)
            {
                return _addresses.All(a => a is not null);
            }
        }
    }

    private async Task ResolvePendingAsync(Action<IReadOnlyList<IPEndPoint>> found, CancellationToken cancellationToken)
    {
        for (int i = 0; i < _hosts.Count; i++)
        {
            lock (_lock)
            {
                if (_addresses[i] is not null)
                {
                    continue;
                }
            }

            var host = (DnsEndPoint)_hosts[i];
            try
            {
                IPEndPoint[] addresses = [.. (await _resolve(host.Host, cancellationToken).ConfigureAwait(false)).Select(a => new IPEndPoint(a, host.Port))];
                lock (_lock)
                {
                    _addresses[i] = addresses;
                    _errors[i] = null;
                }

                DhtLog.Resolved(_logger, host.Host, addresses.Length);
                found(addresses);
            }
            catch (SocketException e)
            {
                lock (_lock)
                {
                    _errors[i] = e.Message;
                }

                DhtLog.CannotResolve(_logger, host.Host, e.Message);
            }
        }
    }
}
