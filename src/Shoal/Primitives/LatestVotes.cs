using System.Net;

namespace Shoal.Primitives;

/// <summary>
/// What each voter last said an address is, with at most <paramref name="maxVoters"/> voters kept, the one heard from
/// first forgotten first, so no crowd of voters can grow it: the tally under votes on our external address.
/// </summary>
public sealed class LatestVotes<TVoter>(int maxVoters)
    where TVoter : notnull
{
    private readonly Dictionary<TVoter, IPAddress> _votes = [];
    private readonly Queue<TVoter> _order = new();

    public int Count => _votes.Count;

    public IReadOnlyDictionary<TVoter, IPAddress> Votes => _votes;

    /// <summary><paramref name="voter"/> now says <paramref name="address"/>; its earlier word is replaced.</summary>
    public void Set(TVoter voter, IPAddress address)
    {
        if (!_votes.ContainsKey(voter))
        {
            if (_order.Count == maxVoters)
            {
                _votes.Remove(_order.Dequeue());
            }

            _order.Enqueue(voter);
        }

        _votes[voter] = address;
    }
}
