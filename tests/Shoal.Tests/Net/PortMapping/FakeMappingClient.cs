using System.Net;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>A gateway protocol that grants every port asked (or fails with <c>failWith</c>), for lifetime asked, and records the calls.</summary>
internal sealed class FakeMappingClient(string method, TimeProvider time, string? failWith = null) : IPortMappingClient
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];

    public string Method => method;

    public bool Disposed { get; private set; }

    /// <summary>"add TCP 6881→6881", "address", "delete UDP 6881"…</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public Task<IPAddress> GetExternalAddressAsync(CancellationToken cancel)
    {
        Record("address");
        return Task.FromResult(FakeGateway.ExternalAddress);
    }

    public Task<PortMappingLease> AddAsync(MappingProtocol protocol, int internalPort, int externalPort, TimeSpan lifetime, CancellationToken cancel)
    {
        Record($"add {protocol} {internalPort}→{externalPort}");
        return failWith is not null
            ? Task.FromException<PortMappingLease>(new PortMappingException(failWith))
            : Task.FromResult(new PortMappingLease(method, protocol, IPAddress.Loopback, internalPort, externalPort, time.GetUtcNow() + lifetime));
    }

    public Task DeleteAsync(PortMappingLease lease, CancellationToken cancel)
    {
        Record($"delete {lease.Protocol} {lease.InternalPort}");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    private void Record(string call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }
}
