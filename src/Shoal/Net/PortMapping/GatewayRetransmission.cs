namespace Shoal.Net.PortMapping;

/// <summary>
/// How a NAT-PMP or PCP request is sent again while unanswered: after <paramref name="First"/>, then twice as long each
/// time (RFC 6886 3.1), <paramref name="Attempts"/> sends in all.
/// </summary>
public sealed record GatewayRetransmission(TimeSpan First, int Attempts)
{
    /// <summary>
    /// 250 ms doubling, four sends: a silent gateway fails in 3.75 s, not RFC 6886's 64 s (nine sends), which would hold
    /// up trying the next protocol. PCP's own schedule (RFC 6887 8.1.1, 3 s first) is slower still; libtorrent uses the
    /// NAT-PMP schedule for both, as here.
    /// </summary>
    public static GatewayRetransmission Default { get; } = new(TimeSpan.FromMilliseconds(250), 4);

    public TimeSpan Total => First * ((1 << Attempts) - 1);
}
