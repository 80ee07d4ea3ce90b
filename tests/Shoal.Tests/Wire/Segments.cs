using System.Buffers;

namespace Shoal.Tests.Wire;

/// <summary>Builds multi-segment sequences, as a pipe hands them out.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] ends)
    {
        Segment? first = null;
        Segment? last = null;
        int start = 0;
        foreach (int end in ends)
        {
            var memory = bytes.AsMemory(start, end - start);
            last = last is null ? first = new Segment(memory, 0) : last.Append(memory);
            start = end;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
