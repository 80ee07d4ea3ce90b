namespace Shoal.Net;

/// <summary>
/// A chain of <see cref="TokenBucket"/>s a transfer must pass all at once, such as the session's global limit
/// and one torrent's. Bytes are taken from every bucket in the same amounts; unlimited buckets never wait.
/// </summary>
/// <remarks>
/// A transfer that finds its tokens passes at once. The others queue, first come first served, and one timer per
/// limiter serves the queue no more often than every <see cref="Pacing"/> (later when the first waiter's least cannot
/// be there sooner): each waiter in turn gets what accrued, up to what it asked, and one served only in part goes to
/// the back, so concurrent waiters share the rate. A timer per waiting transfer, each woken for every 16 KiB block,
/// was a third of a capped seeder's CPU (the timer thread and a pool thread per block); a sender that asks for a range
/// (<see cref="AcquireAsync(int, int, CancellationToken)"/>) is woken once per tick for what accrued meanwhile.
/// </remarks>
public sealed class BandwidthLimiter
{
    /// <summary>The shortest time between two servings of the queue: at most 20 wake-ups a second per limiter.</summary>
    public static readonly TimeSpan Pacing = TimeSpan.FromMilliseconds(50);

    private readonly TimeProvider _time;
    private readonly TokenBucket[] _buckets;
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private ITimer? _timer;
    private bool _armed;
    private int _queued;

    public BandwidthLimiter(TimeProvider time, params IEnumerable<TokenBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(buckets);
        _time = time;
        _buckets = [.. buckets];
        foreach (TokenBucket bucket in _buckets)
        {
            ArgumentNullException.ThrowIfNull(bucket, nameof(buckets));
        }
    }

    public IReadOnlyList<TokenBucket> Buckets => _buckets;

    /// <summary>
    /// Takes up to <paramref name="wanted"/> bytes from every bucket now; returns how many. Nothing while transfers
    /// wait: what accrues is theirs first.
    /// </summary>
    public int TryAcquire(int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        return Volatile.Read(ref _queued) == 0 ? Take(wanted) : 0;
    }

    /// <summary>
    /// Completes once every bucket has granted <paramref name="bytes"/>, taken from all of them. If cancelled,
    /// what was taken so far is given back.
    /// </summary>
    public ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken = default)
    {
        ValueTask<int> acquiring = AcquireAsync(bytes, bytes, cancellationToken);
        return acquiring.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(acquiring.AsTask());
    }

    /// <summary>
    /// Completes with between <paramref name="atLeast"/> and <paramref name="atMost"/> bytes taken from every bucket:
    /// all of what accrued up to <paramref name="atMost"/> once at least <paramref name="atLeast"/> has. If
    /// cancelled, what was taken so far is given back.
    /// </summary>
    public ValueTask<int> AcquireAsync(int atLeast, int atMost, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(atLeast);
        ArgumentOutOfRangeException.ThrowIfLessThan(atMost, atLeast);
        int granted = TryAcquire(atMost);
        return granted >= atLeast
            ? new ValueTask<int>(granted)
            : new ValueTask<int>(Enqueue(atLeast, atMost, granted, cancellationToken));
    }

    private Task<int> Enqueue(int atLeast, int atMost, int granted, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(this, atLeast, atMost, granted);
        lock (_lock)
        {
            _waiters.AddLast(waiter.Node);
            Interlocked.Increment(ref _queued);

            // Under the lock, so that a serving sees the registration it must undo; one already cancelled runs
            // Cancel here at once (the lock is reentrant).
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((Waiter)state!).Limiter.Cancel((Waiter)state!, token), waiter);
            if (waiter.Node.List is not null && !_armed)
            {
                Arm();
            }
        }

        return waiter.Task;
    }

    /// <summary>Serves the queue in order until the buckets run dry; arms the next serving while anyone still waits.</summary>
    private void Serve()
    {
        List<Waiter>? served = null;
        lock (_lock)
        {
            _armed = false;
            for (int left = _waiters.Count; left > 0 && _waiters.First is { } first; left--)
            {
                Waiter waiter = first.Value;
                int taken = Take(waiter.AtMost - waiter.Granted);
                waiter.Granted += taken;
                if (waiter.Granted < waiter.AtLeast)
                {
                    // The buckets are dry. Served in part, it waits behind the others, who got nothing this time.
                    if (taken > 0)
                    {
                        _waiters.RemoveFirst();
                        _waiters.AddLast(first);
                    }

                    break;
                }

                _waiters.RemoveFirst();
                Interlocked.Decrement(ref _queued);
                (served ??= []).Add(waiter);
            }

            if (_waiters.Count > 0)
            {
                Arm();
            }
        }

        served?.ForEach(waiter => waiter.Complete());
    }

    /// <summary>Arms the timer for the next serving: after <see cref="Pacing"/>, or once the first waiter's least is there.</summary>
    private void Arm()
    {
        Waiter first = _waiters.First!.Value;
        TimeSpan delay = Pacing;
        foreach (TokenBucket bucket in _buckets)
        {
            TimeSpan wait = bucket.TimeUntilAvailable(first.AtLeast - first.Granted);
            delay = wait > delay ? wait : delay;
        }

        _armed = true;
        if (_timer is null)
        {
            _timer = _time.CreateTimer(static state => ((BandwidthLimiter)state!).Serve(), this, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            // Served already: the grant stands, the transfer goes on.
            if (waiter.Node.List is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            Interlocked.Decrement(ref _queued);
            Return(_buckets.Length, waiter.Granted);
        }

        waiter.Cancel(token);
    }

    private int Take(int wanted)
    {
        int granted = wanted;
        for (int i = 0; i < _buckets.Length && granted > 0; i++)
        {
            int taken = _buckets[i].TryTake(granted);
            if (taken < granted)
            {
                Return(i, granted - taken);
                granted = taken;
            }
        }

        return granted;
    }

    private void Return(int bucketCount, int bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        for (int i = 0; i < bucketCount; i++)
        {
            _buckets[i].Return(bytes);
        }
    }

    /// <summary>A queued transfer: it completes with <see cref="Granted"/> once that reaches <see cref="AtLeast"/>.</summary>
    private sealed class Waiter
    {
        private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Waiter(BandwidthLimiter limiter, int atLeast, int atMost, int granted)
        {
            Limiter = limiter;
            AtLeast = atLeast;
            AtMost = atMost;
            Granted = granted;
            Node = new LinkedListNode<Waiter>(this);
        }

        public BandwidthLimiter Limiter { get; }

        public int AtLeast { get; }

        public int AtMost { get; }

        /// <summary>Taken from the buckets so far; only under the limiter's lock.</summary>
        public int Granted { get; set; }

        public LinkedListNode<Waiter> Node { get; }

        public CancellationTokenRegistration Registration { get; set; }

        public Task<int> Task => _completion.Task;

        public void Complete()
        {
            Registration.Unregister();
            _completion.TrySetResult(Granted);
        }

        public void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
    }
}
