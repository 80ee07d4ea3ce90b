using Shoal.Metainfo;
using Shoal.Net.WebSeeds;
using Shoal.Swarm;
using Shoal.Tests.Swarm.Harness;

namespace Shoal.Tests.Net.WebSeeds;

/// <summary>Requested blocks become as few HTTP ranges as they can: adjacent blocks in one run, capped, oldest first.</summary>
public sealed class WebSeedRequestsTests
{
    private const int Block = PieceGeometry.BlockSize;

    // Four pieces of four blocks; the last piece is one and a half blocks long.
    private static readonly Torrent Torrent = SyntheticTorrent.Create(new byte[(3 * 4 * Block) + (Block * 3 / 2)], 4 * Block);

    [Fact]
    public void Adjacent_blocks_of_one_piece_make_one_run_whatever_the_order_they_were_asked_in()
    {
        var requests = new WebSeedRequests(Torrent, maxPending: 100, maxRunBytes: 1024 * 1024);
        requests.Add(new BlockRef(1, 0, Block));
        requests.Add(new BlockRef(1, 2 * Block, Block));
        requests.Add(new BlockRef(1, Block, Block));
        requests.Add(new BlockRef(1, 3 * Block, Block));

        List<BlockRef> run = [];
        Assert.True(requests.TryTakeRun(run));
        Assert.Equal([0, Block, 2 * Block, 3 * Block], run.Select(b => b.Begin));
        Assert.False(requests.TryTakeRun(run));
    }

    [Fact]
    public void A_run_goes_on_into_the_next_piece_and_stops_at_a_gap()
    {
        var requests = new WebSeedRequests(Torrent, maxPending: 100, maxRunBytes: 1024 * 1024);
        requests.Add(new BlockRef(2, 3 * Block, Block));
        requests.Add(new BlockRef(3, 0, Block));
        requests.Add(new BlockRef(3, Block, Block / 2));
        requests.Add(new BlockRef(0, Block, Block));
        requests.Add(new BlockRef(0, 3 * Block, Block));

        List<BlockRef> run = [];
        Assert.True(requests.TryTakeRun(run));
        Assert.Equal([new BlockRef(2, 3 * Block, Block), new BlockRef(3, 0, Block), new BlockRef(3, Block, Block / 2)], run);
        Assert.True(requests.TryTakeRun(run));
        Assert.Equal([new BlockRef(0, Block, Block)], run);
        Assert.True(requests.TryTakeRun(run));
        Assert.Equal([new BlockRef(0, 3 * Block, Block)], run);
    }

    [Fact]
    public void A_run_is_no_longer_than_the_cap()
    {
        var requests = new WebSeedRequests(Torrent, maxPending: 100, maxRunBytes: 3 * Block);
        for (int piece = 0; piece < 2; piece++)
        {
            for (int block = 0; block < 4; block++)
            {
                requests.Add(new BlockRef(piece, block * Block, Block));
            }
        }

        List<BlockRef> run = [];
        List<int> lengths = [];
        while (requests.TryTakeRun(run))
        {
            lengths.Add(run.Sum(b => b.Length));
        }

        Assert.Equal([3 * Block, 3 * Block, 2 * Block], lengths);
    }

    [Fact]
    public void A_cancelled_block_is_not_fetched_and_the_oldest_gives_way_past_the_bound()
    {
        var requests = new WebSeedRequests(Torrent, maxPending: 2, maxRunBytes: 1024 * 1024);
        requests.Add(new BlockRef(0, 0, Block));
        requests.Add(new BlockRef(1, 0, Block));
        requests.Add(new BlockRef(2, 0, Block));
        Assert.Equal(2, requests.Count);
        Assert.True(requests.Remove(new BlockRef(1, 0, Block)));
        Assert.False(requests.Remove(new BlockRef(0, 0, Block)));

        List<BlockRef> run = [];
        Assert.True(requests.TryTakeRun(run));
        Assert.Equal([new BlockRef(2, 0, Block)], run);
        Assert.False(requests.TryTakeRun(run));
    }
}
