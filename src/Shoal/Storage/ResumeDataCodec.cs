using Shoal.Bencoding;
using Shoal.Metainfo;
using Shoal.Primitives;

namespace Shoal.Storage;

/// <summary>
/// The bencoded form of <see cref="ResumeData"/>: <c>{"shoal resume": 2, "info hash": 20 bytes,
/// "pieces": the BEP 3 bitfield bytes, "files": [{"length": bytes, "mtime": Unix time in seconds, "mtime ns": nanoseconds past that
/// second}, ...], "still writing": 0 or 1}</c> (stat's timespec), a file that was not on disk being an empty dictionary.
/// Version 1 had no "still writing": it was only trusted while the files were unchanged, as a record with 0 is.
/// </summary>
internal static class ResumeDataCodec
{
    public const int FormatVersion = 2;

    private const int FirstVersion = 1;

    private const string VersionKey = "shoal resume";
    private const string InfoHashKey = "info hash";
    private const string PiecesKey = "pieces";
    private const string FilesKey = "files";
    private const string LengthKey = "length";
    private const string ModifiedKey = "mtime";
    private const string ModifiedNanosecondsKey = "mtime ns";
    private const string StillWritingKey = "still writing";
    private const long NanosecondsPerTick = 100;

    public static byte[] Encode(ResumeData data)
    {
        var files = new BList();
        foreach (ResumeFileState file in data.Files)
        {
            var entry = new BDictionary();
            if (file.Exists)
            {
                entry.Set(LengthKey, new BInteger(file.Length));
                long seconds = Math.DivRem(file.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks, TimeSpan.TicksPerSecond, out long ticks);
                if (ticks < 0)
                {
                    seconds--;
                    ticks += TimeSpan.TicksPerSecond;
                }

                entry.Set(ModifiedKey, new BInteger(seconds));
                entry.Set(ModifiedNanosecondsKey, new BInteger(ticks * NanosecondsPerTick));
            }

            files.Add(entry);
        }

        return new BDictionary()
            .Set(VersionKey, new BInteger(FormatVersion))
            .Set(InfoHashKey, new BString(data.InfoHash.Span.ToArray()))
            .Set(PiecesKey, new BString(data.Pieces.AsSpan().ToArray()))
            .Set(FilesKey, files)
            .Set(StillWritingKey, new BInteger(data.StillWriting ? 1 : 0))
            .Encode();
    }

    /// <summary>The resume data in <paramref name="bytes"/> if they are well formed and for <paramref name="torrent"/>; otherwise null.</summary>
    public static ResumeData? TryDecode(ReadOnlyMemory<byte> bytes, Torrent torrent)
    {
        BDictionary root;
        try
        {
            root = BencodeDecoder.DecodeDictionary(bytes);
        }
        catch (BencodeException)
        {
            return null;
        }

        InfoHash expectedHash = torrent.InfoHashes.ForWire;
        if (root[VersionKey] is not BInteger { Value: FirstVersion or FormatVersion } version
            || (version.Value == FormatVersion ? root[StillWritingKey] is not BInteger { Value: 0 or 1 } : root[StillWritingKey] is not null)
            || root[InfoHashKey] is not BString infoHash || !infoHash.Span.SequenceEqual(expectedHash.Span)
            || root[PiecesKey] is not BString pieces || !PieceSet.TryRead(pieces.Span, torrent.PieceCount, out PieceSet? pieceSet)
            || root[FilesKey] is not BList files || files.Count - torrent.ContentFiles.Count() is not (0 or 1))
        {
            return null;
        }

        var states = new ResumeFileState[files.Count];
        for (int i = 0; i < states.Length; i++)
        {
            ResumeFileState? state = DecodeFile(files[i]);
            if (state is null)
            {
                return null;
            }

            states[i] = state.Value;
        }

        return new ResumeData(expectedHash, pieceSet, states, root[StillWritingKey] is BInteger { Value: 1 });
    }

    private static ResumeFileState? DecodeFile(BValue value)
    {
        if (value is not BDictionary entry)
        {
            return null;
        }

        if (entry.Count == 0)
        {
            return ResumeFileState.Missing;
        }

        long minimum = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        long maximum = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        if (entry[LengthKey] is not BInteger { Value: >= 0 } length
            || entry[ModifiedKey] is not BInteger seconds || seconds.Value <= minimum || seconds.Value >= maximum
            || entry[ModifiedNanosecondsKey] is not BInteger { Value: >= 0 and < 1_000_000_000 } nanoseconds)
        {
            return null;
        }

        long ticks = DateTime.UnixEpoch.Ticks + (seconds.Value * TimeSpan.TicksPerSecond) + (nanoseconds.Value / NanosecondsPerTick);
        return new ResumeFileState(length.Value, new DateTime(ticks, DateTimeKind.Utc));
    }
}
