using System.Collections.Concurrent;
using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Devnet;

/// <summary>
/// Emulated wearables running the real firmware core on a virtual clock that a few driver loops keep at wall-clock
/// time, so a thousand wearables need a handful of threads instead of two each. Each loop steps its share of the
/// fleet; publishes are synchronous QoS 1 as on the device, so the loops also give the gateways concurrent clients.
/// </summary>
internal sealed class WearableFleet : IAsyncDisposable
{
    private readonly List<EmulatedWearable> _wearables = [];
    private readonly List<RecordingUplink> _uplinks = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <summary>Frames each wearable had acknowledged: device → sequences.</summary>
    public ConcurrentDictionary<ulong, ConcurrentBag<uint>> Acked { get; } = new();

    public IReadOnlyList<EmulatedWearable> Wearables => _wearables;

    public long FramesProduced => _wearables.Sum(w => w.Statistics.FramesProduced);

    public long FramesSent => _uplinks.Sum(u => u.Published);

    public long FramesAcked => _uplinks.Sum(u => u.Acknowledged);

    public long FramesDropped => _wearables.Sum(w => w.Statistics.FramesDropped);

    public long Queued => _wearables.Sum(w => w.Statistics.Queued);

    public void Add(EmulatedWearableOptions options, IMqttUplink inner)
    {
        var uplink = new RecordingUplink(inner, Acked);
        _uplinks.Add(uplink);
        _wearables.Add(new EmulatedWearable(options, uplink));
    }

    /// <summary>Starts the driver loops.</summary>
    public void Start(int loops)
    {
        foreach (var share in Partition(_wearables, Math.Clamp(loops, 1, _wearables.Count)))
        {
            _loops.Add(Task.Factory.StartNew(() => Drive(share, _stop.Token), TaskCreationOptions.LongRunning));
        }
    }

    /// <summary>Stops producing; gives each wearable <paramref name="drain"/> to send what it queued.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + drain;
        await Task.WhenAll(Partition(_wearables, Math.Max(1, _loops.Count)).Select(share => Task.Factory.StartNew(() =>
        {
            foreach (var w in share)
            {
                while (!w.Statistics.IsDrained && DateTime.UtcNow < deadline)
                {
                    w.Core.PollUplink();
                }
            }
        }, TaskCreationOptions.LongRunning))).ConfigureAwait(false);
    }

    private static IEnumerable<EmulatedWearable[]> Partition(List<EmulatedWearable> all, int n) =>
        Enumerable.Range(0, n).Select(i => all.Where((_, index) => index % n == i).ToArray());

    private static void Drive(EmulatedWearable[] share, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var w in share)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                w.AdvanceTo(now);
            }

            Thread.Sleep(10);
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var w in _wearables)
        {
            w.Dispose();
        }

        foreach (var u in _uplinks)
        {
            u.Dispose();
        }

        _stop.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Counts and remembers what the broker acknowledged.</summary>
    private sealed class RecordingUplink(IMqttUplink inner, ConcurrentDictionary<ulong, ConcurrentBag<uint>> acked) : IMqttUplink, IDisposable
    {
        private long _published;
        private long _acknowledged;

        public long Published => Interlocked.Read(ref _published);

        public long Acknowledged => Interlocked.Read(ref _acknowledged);

        public bool IsConnected => inner.IsConnected;

        public bool Connect() => inner.Connect();

        public bool Publish(string topic, byte[] payload)
        {
            Interlocked.Increment(ref _published);
            if (!inner.Publish(topic, payload))
            {
                return false;
            }

            Interlocked.Increment(ref _acknowledged);
            var frame = DeviceFrame.Decode(payload);
            acked.GetOrAdd(frame.DeviceId, _ => []).Add(frame.Sequence);
            return true;
        }

        public void Disconnect() => inner.Disconnect();

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}
