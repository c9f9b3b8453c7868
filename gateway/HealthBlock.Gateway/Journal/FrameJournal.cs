using System.Threading.Channels;
using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Journal;

/// <summary>
/// The durable frame journal. Appends from all connections are grouped: one writer takes every pending frame (up to a
/// limit) and hands the group to the store's <see cref="FrameAppender"/>, which checks each sequence number against the
/// device's last one and inserts them in one transaction committed with one fsync; only then do the callers' tasks
/// complete, so a frame is acknowledged only once it survives a crash or power cut. <see cref="AppendAsync"/> is safe
/// for concurrent use.
/// </summary>
public sealed class FrameJournal : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly int _maxGroup;
    private readonly Channel<Pending> _pending;
    private readonly FrameAppender _appender;
    private readonly GatewayStore _store;
    private readonly Task _writer;
    private long _appended;
    private long _groups;

    /// <summary>Starts the journal's writer.</summary>
    public FrameJournal(GatewayStore store, ILogger logger, int maxGroup = 1024, int capacity = 20_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger;
        _maxGroup = maxGroup;
        _pending = Channel.CreateBounded<Pending>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _appender = store.Frames.OpenAppender();
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Frames appended since start.</summary>
    public long Appended => Interlocked.Read(ref _appended);

    /// <summary>Commit groups (fsyncs) since start.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    /// <summary>Appends a verified frame of a device's <paramref name="pairing"/>; completes once it is durable (or is a duplicate or replay).</summary>
    public async Task<AppendResult> AppendAsync(DeviceFrame frame, long pairing, long receivedMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var pending = new Pending(new FrameToAppend(frame, pairing, receivedMs));
        await _pending.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Frames journalled but not yet in a committed batch.</summary>
    public long Backlog() => _store.Backlog();

    private async Task WriteLoopAsync()
    {
        var group = new List<Pending>(_maxGroup);
        var frames = new List<FrameToAppend>(_maxGroup);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            frames.Clear();
            while (group.Count < _maxGroup && _pending.Reader.TryRead(out var p))
            {
                group.Add(p);
                frames.Add(p.Frame);
            }

            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var results = _appender.Append(frames);
                GatewayMetrics.JournalCommitted(System.Diagnostics.Stopwatch.GetElapsedTime(started));
                Interlocked.Increment(ref _groups);
                Interlocked.Add(ref _appended, results.Count(r => r.Outcome == AppendOutcome.Appended));
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                _logger.LogError(e, "Journal write of {Count} frames failed; none of them is acknowledged", group.Count);
                foreach (var p in group)
                {
                    p.Completion.TrySetException(new JournalException("The journal could not write the frame.", e));
                }
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        _appender.Dispose();
    }

    private sealed class Pending(FrameToAppend frame)
    {
        public FrameToAppend Frame { get; } = frame;

        public TaskCompletionSource<AppendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
