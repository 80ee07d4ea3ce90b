using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shoal.Node.Events;

/// <summary>One event of the stream as it goes on the wire, encoded once however many clients receive it.</summary>
internal sealed class ServerSentEvent
{
    private ServerSentEvent(byte[] frame) => Frame = frame;

    public ReadOnlyMemory<byte> Frame { get; }

    /// <summary>A comment, which clients ignore, so proxies see traffic on a quiet stream and keep it open.</summary>
    public static ServerSentEvent Heartbeat { get; } = new(": heartbeat\n\n"u8.ToArray());

    /// <summary>How long a client waits before reconnecting after the stream ends.</summary>
    public static ServerSentEvent Retry(TimeSpan delay) =>
        new(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"retry: {(long)delay.TotalMilliseconds}\n\n")));

    public static ServerSentEvent Of<T>(string name, T data, JsonTypeInfo<T> type) => Of(name, JsonSerializer.SerializeToUtf8Bytes(data, type));

    /// <summary><paramref name="json"/> is one line: the API's JSON is never indented and escapes line breaks inside strings.</summary>
    public static ServerSentEvent Of(string name, ReadOnlySpan<byte> json)
    {
        byte[] head = Encoding.UTF8.GetBytes($"event: {name}\ndata: ");
        byte[] frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame.AsSpan(head.Length));
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return new ServerSentEvent(frame);
    }
}
