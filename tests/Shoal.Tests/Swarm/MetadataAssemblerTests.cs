using System.Security.Cryptography;
using Shoal.Metainfo;
using Shoal.Swarm;
using Shoal.Wire;

namespace Shoal.Tests.Swarm;

public class MetadataAssemblerTests
{
    private const int Size = (2 * MetadataMessage.PieceSize) + 100;
    private static readonly byte[] Info = RandomNumberGenerator.GetBytes(Size);

    private static MetadataMessage Piece(int index, byte[] info) => MetadataMessage.DataPiece(
        index, info.Length, info.AsMemory(index * MetadataMessage.PieceSize, Math.Min(MetadataMessage.PieceSize, info.Length - (index * MetadataMessage.PieceSize))));

    private static InfoHashes Hashes(byte[] info, bool v1 = true, bool v2 = true) =>
        new(v1 ? new InfoHash(SHA1.HashData(info)) : null, v2 ? new InfoHash(SHA256.HashData(info)) : null);

    [Fact]
    public void Pieces_arriving_out_of_order_assemble_the_dictionary()
    {
        var assembler = new MetadataAssembler(Size);
        Assert.Equal(3, assembler.PieceCount);
        assembler.Add(Piece(2, Info));
        assembler.Add(Piece(0, Info));
        Assert.False(assembler.IsComplete);
        assembler.Add(Piece(1, Info));
        Assert.True(assembler.IsComplete);
        Assert.Equal(Info, assembler.Bytes.ToArray());
        Assert.True(assembler.Matches(Hashes(Info)));
        Assert.True(assembler.Matches(Hashes(Info, v2: false)));
        Assert.True(assembler.Matches(Hashes(Info, v1: false)));
    }

    [Fact]
    public void Requests_cover_every_piece_once()
    {
        var assembler = new MetadataAssembler(Size);
        Assert.Equal([0, 1, 2, null], [assembler.TakeNextRequest(), assembler.TakeNextRequest(), assembler.TakeNextRequest(), assembler.TakeNextRequest()]);
    }

    [Fact]
    public void Bytes_that_hash_to_another_value_do_not_match()
    {
        byte[] other = (byte[])Info.Clone();
        other[^1] ^= 1;
        var assembler = new MetadataAssembler(Size);
        for (int piece = 0; piece < 3; piece++)
        {
            assembler.Add(Piece(piece, other));
        }

        Assert.False(assembler.Matches(Hashes(Info)));

        // A hybrid magnet needs both hashes to match.
        Assert.False(assembler.Matches(new InfoHashes(new InfoHash(SHA1.HashData(other)), new InfoHash(SHA256.HashData(Info)))));
    }

    [Fact]
    public void A_piece_of_the_wrong_size_index_or_total_is_a_protocol_error()
    {
        var assembler = new MetadataAssembler(Size);
        Assert.Throws<PeerProtocolException>(() => assembler.Add(MetadataMessage.DataPiece(2, Size, new byte[99])));
        Assert.Throws<PeerProtocolException>(() => assembler.Add(MetadataMessage.DataPiece(0, Size, new byte[MetadataMessage.PieceSize - 1])));
        Assert.Throws<PeerProtocolException>(() => assembler.Add(MetadataMessage.DataPiece(3, Size, new byte[100])));
        Assert.Throws<PeerProtocolException>(() => assembler.Add(MetadataMessage.DataPiece(2, Size + 1, new byte[100])));
        Assert.False(assembler.IsComplete);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(MetadataAssembler.MaxSize + 1)]
    public void An_absurd_metadata_size_is_a_protocol_error(long size) =>
        Assert.Throws<PeerProtocolException>(() => new MetadataAssembler(size));
}
