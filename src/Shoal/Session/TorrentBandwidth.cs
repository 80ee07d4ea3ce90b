using Shoal.Net;

namespace Shoal.Session;

/// <summary>A torrent's rate limits: its own token buckets, charged together with the session's.</summary>
internal sealed class TorrentBandwidth
{
    private readonly TokenBucket _uploadBucket;
    private readonly TokenBucket _downloadBucket;

    public TorrentBandwidth(SessionContext session, long uploadLimit, long downloadLimit)
    {
        TimeProvider time = session.Options.Time;
        _uploadBucket = new TokenBucket(time, uploadLimit);
        _downloadBucket = new TokenBucket(time, downloadLimit);
        Upload = new BandwidthLimiter(time, session.UploadBucket, _uploadBucket);
        Download = new BandwidthLimiter(time, session.DownloadBucket, _downloadBucket);
    }

    public BandwidthLimiter Upload { get; }

    public BandwidthLimiter Download { get; }

    /// <summary>Bytes per second, 0 unlimited.</summary>
    public void SetLimits(long upload, long download)
    {
        _uploadBucket.RatePerSecond = upload;
        _downloadBucket.RatePerSecond = download;
    }
}
