using System.Net;

namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// A sender and a receiver with a router between them, each in a namespace of its own, and the router's link to
/// the receiver shaped: <c>Sender —link— Router —bottleneck (tbf)— Receiver</c>. Each end has a route to the other
/// end's link through the router, and nothing else: no default route, so no packet leaves the lab.
/// </summary>
/// <remarks>
/// Why a router rather than shaping the sender's own end of one veth pair: on the sender's own interface the
/// packets in the tbf queue still belong to the sending TCP socket, and TCP Small Queues let a socket hold only
/// about two of its (64 KiB GSO) packets in the queues below it. Measured here: a CUBIC flow into a 20 Mbit/s tbf
/// with 500 ms of queue on its own interface kept about 140 KB queued (≈ 50 ms of delay) and never more, so a
/// delay-based flow beside it would never see the delay a real bottleneck gives it. A packet forwarded by
/// another namespace has left its socket (veth orphans it when it crosses namespaces), so at the router's queue
/// TCP fills the whole queue as it would at a home router (the same CUBIC flow: 1.2 MB queued, RTT ≈ 460 ms).
/// </remarks>
public sealed class BottleneckPath : IAsyncDisposable
{
    private readonly List<NetworkNamespace> _namespaces;

    private BottleneckPath(NetworkNamespace sender, NetworkNamespace router, NetworkNamespace receiver, VethLink access, VethLink bottleneck, TbfShape shape)
    {
        Sender = sender;
        Router = router;
        Receiver = receiver;
        Access = access;
        Bottleneck = bottleneck;
        Shape = shape;
        _namespaces = [sender, router, receiver];
    }

    public NetworkNamespace Sender { get; }

    public NetworkNamespace Router { get; }

    public NetworkNamespace Receiver { get; }

    /// <summary>Sender to router, unshaped.</summary>
    public VethLink Access { get; }

    /// <summary>Router to receiver, shaped from the router's end.</summary>
    public VethLink Bottleneck { get; }

    public TbfShape Shape { get; }

    /// <summary>The sender's address, as the receiver dials it.</summary>
    public IPAddress SenderAddress => Access.First.Address;

    /// <summary>The receiver's address, as the sender dials it.</summary>
    public IPAddress ReceiverAddress => Bottleneck.Second.Address;

    /// <summary>The three namespaces, linked, routed, and the router's end towards the receiver shaped with <paramref name="shape"/>.</summary>
    public static async Task<BottleneckPath> CreateAsync(TbfShape shape)
    {
        var made = new List<NetworkNamespace>();
        try
        {
            NetworkNamespace sender = await CreateAsync(made, "sender");
            NetworkNamespace router = await CreateAsync(made, "router");
            NetworkNamespace receiver = await CreateAsync(made, "receiver");
            VethLink access = await VethLink.CreateAsync(sender, router);
            VethLink bottleneck = await VethLink.CreateAsync(router, receiver);
            await router.EnableForwardingAsync();
            await sender.AddRouteAsync(bottleneck.Subnet, access.Second.Address);
            await receiver.AddRouteAsync(access.Subnet, bottleneck.First.Address);
            await bottleneck.ShapeAsync(router, shape);
            return new BottleneckPath(sender, router, receiver, access, bottleneck, shape);
        }
        catch
        {
            foreach (NetworkNamespace space in made)
            {
                await space.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The bytes that have crossed the bottleneck towards the receiver so far (all flows, headers included).</summary>
    public Task<long> BottleneckBytesAsync() => Bottleneck.SentBytesAsync(Router);

    /// <summary>The bottleneck queue's `tc -s` statistics (sent, dropped, backlog), for a test's log.</summary>
    public Task<string> BottleneckStatsAsync() => Bottleneck.QueueStatsAsync(Router);

    /// <summary>Deletes the namespaces (the links go with them), killing whatever still runs in them.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception> failures = [];
        foreach (NetworkNamespace space in _namespaces)
        {
            try
            {
                await space.DisposeAsync();
            }
            catch (Exception failure)
            {
                failures.Add(failure);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("deleting the lab's namespaces", failures);
        }
    }

    private static async Task<NetworkNamespace> CreateAsync(List<NetworkNamespace> made, string label)
    {
        NetworkNamespace created = await NetworkNamespace.CreateAsync(label);
        made.Add(created);
        return created;
    }
}
