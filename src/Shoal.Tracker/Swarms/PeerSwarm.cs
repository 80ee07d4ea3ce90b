using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Shoal.Discovery.Trackers;

namespace Shoal.Tracker.Swarms;

/// <summary>
/// The peers of one info-hash in memory: an array for random sampling and, once the swarm is large,
/// an index by address for updates. Not thread-safe: <see cref="SwarmTable"/> locks it. Small arrays
/// outgrown or given back by a retired swarm are pooled: with many swarms the next announce to a swarm
/// comes long after the last, so an outgrown array would otherwise die only after the GC had promoted
/// it to its oldest generation, where garbage waits longest (a fill of 100,000 swarms left 60 MB of it).
/// </summary>
internal sealed class PeerSwarm
{
    // Most swarms are small: a scan of a few entries is as fast as a lookup, and a dictionary per
    // swarm would cost more memory than the peers themselves (100,000 swarms of 10: 90 MB).
    private const int IndexFrom = 24;

    // The smallest growth that still adds in amortised constant time: swarms of a few peers waste
    // little of their array (10 peers: 13 slots, where doubling gives 16).
    private const int FirstCapacity = 2;

    private Dictionary<PeerAddress, int>? _index;
    private Entry[] _peers = EntryPool.Rent(FirstCapacity);
    private int _seeders;

    public int Count { get; private set; }

    /// <summary>Finished downloads, as <see cref="CompletedCounts"/> holds them (set by the table under this swarm's lock).</summary>
    public long Completed { get; set; }

    public int Seeders => _seeders;

    public int Leechers => Count - _seeders;

    /// <summary>Set once the table has dropped this swarm; an announcer holding it must look again.</summary>
    public bool IsRetired { get; set; }

    /// <summary>A peer joined, left or became a seeder since the table last saved this swarm.</summary>
    public bool IsChanged { get; set; }

    /// <summary>A known peer announced again since the table last saved this swarm: only expiries moved.</summary>
    public bool IsRefreshed { get; set; }

    /// <summary>The bytes one peer takes in a swarm's array (the index of a large swarm aside).</summary>
    public static int EntrySize => Unsafe.SizeOf<Entry>();

    public bool Contains(PeerAddress peer) => Find(peer) >= 0;

    /// <summary>
    /// Adds, refreshes or (on stopped) removes the peer. Returns what changed, and whether this announce
    /// counts as a finished download: <c>completed</c> from a peer not already known as a seeder.
    /// </summary>
    public Recorded Record(PeerAddress peer, bool isSeeder, AnnounceEvent announceEvent, long expiresAt)
    {
        int slot = Find(peer);
        bool known = slot >= 0;
        if (announceEvent == AnnounceEvent.Stopped)
        {
            if (known)
            {
                RemoveAt(slot);
                return Recorded.Changed;
            }

            return Recorded.None;
        }

        Recorded finished = announceEvent == AnnounceEvent.Completed && !(known && _peers[slot].IsSeeder) ? Recorded.Finished : Recorded.None;
        if (known)
        {
            ref Entry entry = ref _peers[slot];
            bool wasSeeder = entry.IsSeeder;
            _seeders += (isSeeder ? 1 : 0) - (wasSeeder ? 1 : 0);
            entry = new Entry(peer, expiresAt, isSeeder);
            return finished | (wasSeeder == isSeeder ? Recorded.Refreshed : Recorded.Changed);
        }

        if (Count == _peers.Length)
        {
            Resize(Count + Math.Max(FirstCapacity, Count / 2));
        }

        _peers[Count] = new Entry(peer, expiresAt, isSeeder);
        _index?.Add(peer, Count);
        Count++;
        if (_index is null && Count >= IndexFrom)
        {
            _index = new Dictionary<PeerAddress, int>(Count * 2);
            for (int i = 0; i < Count; i++)
            {
                _index.Add(_peers[i].Peer, i);
            }
        }

        _seeders += isSeeder ? 1 : 0;
        return finished | Recorded.Changed;
    }

    /// <summary>
    /// Writes up to <paramref name="numWant"/> peers other than <paramref name="asker"/> in compact
    /// form, in random order, into <paramref name="peers4"/> and <paramref name="peers6"/>; leechers
    /// only when <paramref name="askerIsSeeder"/>. Returns the bytes written to each.
    /// </summary>
    public (int Bytes4, int Bytes6) Sample(PeerAddress asker, bool askerIsSeeder, int numWant, PeerFamilies families, Span<byte> peers4, Span<byte> peers6)
    {
        int count = Count;
        if (numWant <= 0 || count == 0)
        {
            return (0, 0);
        }

        // A window of the array from a random start; the array's order is itself churned by removals,
        // and the window is shuffled below, so no peer is favoured by where it sits.
        Span<int> chosen = numWant <= 512 ? stackalloc int[numWant] : new int[numWant];
        int found = 0;
        int start = Random.Shared.Next(count);
        for (int step = 0; step < count && found < numWant; step++)
        {
            int slot = start + step;
            slot = slot >= count ? slot - count : slot;
            ref readonly Entry entry = ref _peers[slot];
            bool familyWanted = entry.Peer.IsIPv4 ? families.HasFlag(PeerFamilies.IPv4) : families.HasFlag(PeerFamilies.IPv6);
            if (familyWanted && entry.Peer != asker && !(askerIsSeeder && entry.IsSeeder))
            {
                chosen[found++] = slot;
            }
        }

        chosen = chosen[..found];
        Random.Shared.Shuffle(chosen);
        int bytes4 = 0, bytes6 = 0;
        foreach (int slot in chosen)
        {
            PeerAddress peer = _peers[slot].Peer;
            if (peer.IsIPv4)
            {
                bytes4 += peer.WriteCompact(peers4[bytes4..]);
            }
            else
            {
                bytes6 += peer.WriteCompact(peers6[bytes6..]);
            }
        }

        return (bytes4, bytes6);
    }

    /// <summary>Drops the peers whose last announce is older than their expiry, telling <paramref name="removed"/> of each; returns how many.</summary>
    public int Expire(long now, Action<PeerAddress> removed)
    {
        int count = 0;
        for (int slot = Count - 1; slot >= 0; slot--)
        {
            if (_peers[slot].Expiry <= now)
            {
                removed(_peers[slot].Peer);
                RemoveAt(slot);
                count++;
            }
        }

        if (Count < _peers.Length / 4 && _peers.Length > 8)
        {
            Resize(Math.Max(Count + (Count / 2), FirstCapacity));
            _index = Count < IndexFrom / 2 ? null : _index;
            _index?.TrimExcess();
        }

        return count;
    }

    /// <summary>Every peer with its expiry, in the form <see cref="SavedSwarm"/> reads.</summary>
    public byte[] Save()
    {
        byte[] saved = new byte[Count * SavedSwarm.EntryLength];
        for (int slot = 0; slot < Count; slot++)
        {
            ref readonly Entry entry = ref _peers[slot];
            SavedSwarm.WriteEntry(saved.AsSpan(slot * SavedSwarm.EntryLength), entry.Peer, entry.IsSeeder, entry.Expiry);
        }

        return saved;
    }

    /// <summary>Gives the array back to the pool: the table has retired this empty swarm.</summary>
    public void Release()
    {
        EntryPool.Return(_peers);
        _peers = [];
    }

    private void Resize(int capacity)
    {
        Entry[] resized = EntryPool.Rent(capacity);
        _peers.AsSpan(0, Count).CopyTo(resized);
        EntryPool.Return(_peers);
        _peers = resized;
    }

    private int Find(PeerAddress peer)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(peer, out int slot) ? slot : -1;
        }

        for (int slot = 0; slot < Count; slot++)
        {
            if (_peers[slot].Peer == peer)
            {
                return slot;
            }
        }

        return -1;
    }

    private void RemoveAt(int slot)
    {
        Entry removed = _peers[slot];
        _index?.Remove(removed.Peer);
        _seeders -= removed.IsSeeder ? 1 : 0;
        int last = Count - 1;
        if (slot != last)
        {
            _peers[slot] = _peers[last];
            if (_index is not null)
            {
                _index[_peers[slot].Peer] = slot;
            }
        }

        _peers[last] = default;
        Count--;
    }

    // 24 bytes: the packed address, the expiry in Unix seconds (a uint lasts until 2106) and the seeder
    // flag as a byte, which keeps the struct's layout the declared one (a bool would not).
    [StructLayout(LayoutKind.Sequential, Pack = 2)]
    private readonly struct Entry(PeerAddress peer, long expiresAt, bool isSeeder)
    {
        public readonly PeerAddress Peer = peer;
        private readonly uint _expiry = (uint)Math.Clamp(expiresAt, 0, uint.MaxValue);
        private readonly byte _seeder = isSeeder ? (byte)1 : (byte)0;

        public long Expiry => _expiry;

        public bool IsSeeder => _seeder != 0;
    }

    /// <summary>
    /// Arrays of up to <see cref="MaxPooledLength"/> entries, at most <see cref="PerLength"/> of each
    /// length (a few MB in all). Entries hold no references, so a returned array needs no clearing: a
    /// swarm reads only the slots below its count.
    /// </summary>
    private static class EntryPool
    {
        private const int MaxPooledLength = 32;
        private const int PerLength = 256;

        private static readonly Stack<Entry[]>[] Free = [.. Enumerable.Range(0, MaxPooledLength + 1).Select(_ => new Stack<Entry[]>(PerLength))];

        public static Entry[] Rent(int length)
        {
            if (length <= MaxPooledLength)
            {
                Stack<Entry[]> free = Free[length];
                lock (free)
                {
                    if (free.TryPop(out Entry[]? pooled))
                    {
                        return pooled;
                    }
                }
            }

            return new Entry[length];
        }

        public static void Return(Entry[] array)
        {
            if (array.Length is > 0 and <= MaxPooledLength)
            {
                Stack<Entry[]> free = Free[array.Length];
                lock (free)
                {
                    if (free.Count < PerLength)
                    {
                        free.Push(array);
                    }
                }
            }
        }
    }
}
