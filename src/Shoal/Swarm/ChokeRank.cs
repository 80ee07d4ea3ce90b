namespace Shoal.Swarm;

/// <summary>The sort key of one candidate for a regular slot; earlier ranks win.</summary>
/// <param name="Index">Position of the candidate in the list given to the choker.</param>
/// <param name="HadTurn">Seeding only: the peer has held its slot for a whole rotation.</param>
/// <param name="Rate">Download rate when leeching, upload rate when seeding; higher wins.</param>
/// <param name="IsUnchoked">Already unchoked peers win ties, so equal peers do not swap slots every round.</param>
/// <param name="LastChoked">Among the rest, the one that has waited longest wins.</param>
/// <param name="Tiebreak">A random draw, so that the order of the input decides nothing.</param>
internal readonly record struct ChokeRank(int Index, bool HadTurn, long Rate, bool IsUnchoked, TimeSpan LastChoked, int Tiebreak)
{
    public static int Compare(ChokeRank x, ChokeRank y)
    {
        int order = x.HadTurn.CompareTo(y.HadTurn);
        if (order == 0)
        {
            order = y.Rate.CompareTo(x.Rate);
        }

        if (order == 0)
        {
            order = y.IsUnchoked.CompareTo(x.IsUnchoked);
        }

        if (order == 0)
        {
            order = x.LastChoked.CompareTo(y.LastChoked);
        }

        return order != 0 ? order : x.Tiebreak.CompareTo(y.Tiebreak);
    }
}
