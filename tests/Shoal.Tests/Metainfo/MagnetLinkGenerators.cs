using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Shoal.Metainfo;

namespace Shoal.Tests.Metainfo;

/// <summary>Random valid magnet links, rich in the characters that need escaping.</summary>
internal static class MagnetLinkGenerators
{
    private static readonly Gen<byte> Bytes = ArbMap.Default.GeneratorFor<byte>();

    private static readonly Gen<string> Character = Gen.Frequency(
        (2, Gen.Elements("%", "+", "&", "=", ":", "/", "?", "#", " ", "[", "]", ",", "-", "~", ".")),
        (4, Gen.Choose(0x20, 0x7E).Select(c => ((char)c).ToString())),
        (2, Gen.Choose(0, 0x10FFFF).Where(Rune.IsValid).Select(char.ConvertFromUtf32)));

    private static readonly Gen<string> Text = Gen.ListOf(Character).Select(string.Concat);

    private static readonly Gen<string> Url = Gen.NonEmptyListOf(Character).Select(string.Concat);

    private static readonly Gen<string> Host = Gen.OneOf(
        Gen.NonEmptyListOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-._".ToCharArray())).Select(string.Concat),
        Gen.ArrayOf(Bytes, 4).Select(address => new IPAddress(address).ToString()),
        Gen.ArrayOf(Bytes, 16).Select(address => new IPAddress(address).ToString()));

    private static readonly Gen<MagnetPeer> Peer = Host.Zip(Gen.Choose(1, 65535), (host, port) => new MagnetPeer(host, port));

    private static readonly Gen<FileIndexRange> Range =
        from first in Gen.OneOf(Gen.Choose(0, 1000), Gen.Choose(int.MaxValue - 1000, int.MaxValue - 3))
        from span in Gen.Choose(0, 3)
        select new FileIndexRange(first, first + span);

    private static readonly Gen<InfoHashes> Hashes = Gen.OneOf(
        Hash(InfoHash.V1Length).Select(v1 => new InfoHashes(v1, null)),
        Hash(InfoHash.V2Length).Select(v2 => new InfoHashes(null, v2)),
        Hash(InfoHash.V1Length).Zip(Hash(InfoHash.V2Length), (v1, v2) => new InfoHashes(v1, v2)));

    public static readonly Gen<MagnetLink> Links =
        from hashes in Hashes
        from displayName in Gen.OneOf(Gen.Constant<string?>(null), Text.Select(name => (string?)name))
        from exactLength in Gen.OneOf(Gen.Constant<long?>(null), ArbMap.Default.GeneratorFor<long>().Select(n => (long?)(n & long.MaxValue)))
        from trackers in Gen.ListOf(Url)
        from webSeeds in Gen.ListOf(Url)
        from peers in Gen.ListOf(Peer)
        from selectOnly in Gen.ListOf(Range)
        select new MagnetLink
        {
            InfoHashes = hashes,
            DisplayName = displayName,
            ExactLength = exactLength,
            Trackers = trackers,
            WebSeeds = webSeeds,
            Peers = peers,
            SelectOnly = selectOnly,
        };

    private static Gen<InfoHash> Hash(int length) => Gen.ArrayOf(Bytes, length).Select(bytes => new InfoHash(bytes));
}
