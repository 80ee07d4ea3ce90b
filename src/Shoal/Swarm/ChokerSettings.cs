namespace Shoal.Swarm;

/// <summary>
/// Slots and intervals of the choking algorithm (BEP 3). The defaults are the original client's:
/// four regular slots chosen every 10 seconds and one optimistic slot rotated every 30 seconds.
/// </summary>
public sealed record ChokerSettings
{
    /// <summary>Peers unchoked for their rate: download rate to us when leeching, upload rate when seeding.</summary>
    public int RegularSlots
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(RegularSlots));
            field = value;
        }
    } = 4;

    /// <summary>Peers unchoked at random, whatever their rate, so that new and slow peers get a chance.</summary>
    public int OptimisticSlots
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(OptimisticSlots));
            field = value;
        }
    } = 1;

    /// <summary>How often the swarm should call <see cref="Choker.Rechoke"/>.</summary>
    public TimeSpan RechokeInterval
    {
        get;
        init => field = NonNegative(value, nameof(RechokeInterval));
    } = TimeSpan.FromSeconds(10);

    /// <summary>How long an optimistic unchoke lasts before the slot moves to another peer.</summary>
    public TimeSpan OptimisticRotation
    {
        get;
        init => field = NonNegative(value, nameof(OptimisticRotation));
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When seeding, how long a peer keeps a regular slot before it gives way to interested peers that
    /// have been waiting.
    /// </summary>
    public TimeSpan SeedingRotation
    {
        get;
        init => field = NonNegative(value, nameof(SeedingRotation));
    } = TimeSpan.FromSeconds(60);

    private static TimeSpan NonNegative(TimeSpan value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, name);
        return value;
    }
}
