namespace Shoal.Swarm;

/// <summary>What the <see cref="Choker"/> remembers of one peer between rechokes.</summary>
internal sealed class ChokeHistory
{
    /// <summary>When the current optimistic unchoke began; null when the peer does not hold an optimistic slot.</summary>
    public TimeSpan? OptimisticSince { get; set; }

    /// <summary>The choker has unchoked the peer at some point, regularly or optimistically.</summary>
    public bool EverUnchoked { get; set; }

    /// <summary>When the choker last took the peer's slot away; <see cref="TimeSpan.MinValue"/> if never.</summary>
    public TimeSpan LastChoked { get; set; } = TimeSpan.MinValue;

    /// <summary>The peer's optimistic slot ran out in the current round, so it should not win it straight back.</summary>
    public bool JustRotated { get; set; }
}
