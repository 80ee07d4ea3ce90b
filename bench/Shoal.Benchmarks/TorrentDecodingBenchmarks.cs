using BenchmarkDotNet.Attributes;
using Shoal.Bencoding;
using Shoal.Metainfo;

namespace Shoal.Benchmarks;

/// <summary>Decoding a large multi-file torrent: 10,000 files in 100 folders.</summary>
[MemoryDiagnoser]
public class TorrentDecodingBenchmarks
{
    private const int FileCount = 10_000;
    private byte[] _torrent = [];

    [GlobalSetup]
    public void Setup()
    {
        var files = new BList();
        long total = 0;
        for (int i = 0; i < FileCount; i++)
        {
            long length = 1000 + (i * 37 % 5000);
            total += length;
            files.Add(new BDictionary()
                .Set("length", new BInteger(length))
                .Set("path", new BList([new BString($"folder-{i / 100:D3}"), new BString($"file-{i:D5}.dat")])));
        }

        const long pieceLength = 256 * 1024;
        long pieces = (total + pieceLength - 1) / pieceLength;
        var info = new BDictionary()
            .Set("name", new BString("many-files"))
            .Set("piece length", new BInteger(pieceLength))
            .Set("pieces", new BString(new byte[pieces * 20]))
            .Set("files", files);
        _torrent = new BDictionary().Set("announce", new BString("http://tracker.example/announce")).Set("info", info).Encode();
    }

    [Benchmark]
    public int TokenizeOnly()
    {
        var reader = new BencodeReader(_torrent);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public BValue DecodeTree() => BencodeDecoder.Decode(_torrent);

    [Benchmark(Baseline = true)]
    public Torrent ParseTorrent() => TorrentParser.Parse(_torrent);
}
