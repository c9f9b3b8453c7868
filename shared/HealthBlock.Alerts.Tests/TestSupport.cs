using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace HealthBlock.Alerts.Tests;

/// <summary>Waits on conditions (never a fixed sleep); fails with <paramref name="what"/> after the timeout.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Timeout)
            {
                Assert.Fail($"Timed out after {Timeout} waiting for: {what}");
            }

            await Task.Delay(5);
        }
    }
}

/// <summary>
/// A real SMTP server (the SmtpServer package) on 127.0.0.1 and a port the OS chooses; keeps every message it
/// receives, parsed with MimeKit.
/// </summary>
internal sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _running;
    private readonly Store _store;

    private TestSmtpServer(Task running, int port, TestAuthenticator? authenticator, Store store, CancellationTokenSource stop)
    {
        _running = running;
        Port = port;
        Authenticator = authenticator;
        _store = store;
        _stop = stop;
    }

    public int Port { get; }

    public TestAuthenticator? Authenticator { get; }

    public IReadOnlyList<MimeMessage> Messages => [.. _store.Messages];

    public int Count => _store.Messages.Count;

    /// <summary>Starts a server; with <paramref name="requireAuthentication"/> it accepts AUTH PLAIN/LOGIN in clear (loopback only).</summary>
    public static async Task<TestSmtpServer> StartAsync(bool requireAuthentication = false, string user = "alerts", string password = "s3cret")
    {
        var listeners = new EndpointListenerFactory();
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(((IPEndPoint)e.LocalEndPoint).Port);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(b => b
                .Endpoint(new IPEndPoint(IPAddress.Loopback, 0))
                .AuthenticationRequired(requireAuthentication)
                .AllowUnsecureAuthentication(requireAuthentication))
            .Build();

        var services = new ServiceProvider();
        services.Add(listeners);
        var authenticator = requireAuthentication ? new TestAuthenticator(user, password) : null;
        if (authenticator is not null)
        {
            services.Add(authenticator);
        }

        var store = new Store();
        services.Add(store);
        var server = new SmtpServer.SmtpServer(options, services);
        var stop = new CancellationTokenSource();
        var running = server.StartAsync(stop.Token);
        var port = await started.Task.WaitAsync(Wait.Timeout);
        return new TestSmtpServer(running, port, authenticator, store, stop);
    }

    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count)
    {
        await Wait.Until(() => _store.Messages.Count >= count, $"{count} messages at the SMTP server (have {_store.Messages.Count})");
        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>A port nothing listens on: bound by the OS, then closed again.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<MimeMessage> Messages { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    internal sealed class TestAuthenticator(string user, string password) : IUserAuthenticator
    {
        public ConcurrentQueue<string> Users { get; } = new();

        public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken)
        {
            Users.Enqueue(user1);
            return Task.FromResult(user1 == user && password1 == password);
        }
    }
}

/// <summary>A clock the test moves by hand; timers fire when <see cref="Advance"/> passes their due time.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.Due <= _now).ToList();
            foreach (var t in due)
            {
                if (t.Period is { } p && p > TimeSpan.Zero)
                {
                    t.Due = _now + p;
                }
                else
                {
                    _timers.Remove(t);
                }
            }
        }

        foreach (var t in due)
        {
            t.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                Due = clock._now + dueTime;
                if (dueTime > TimeSpan.Zero)
                {
                    clock._timers.Add(this);
                    return true;
                }
            }

            ThreadPool.QueueUserWorkItem(_ => Fire());
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>An ILogger that keeps each entry with its structured state.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        Entries.Enqueue(new Entry(logLevel, eventId, formatter(state, exception), properties.ToDictionary(p => p.Key, p => p.Value), exception));
    }

    internal sealed record Entry(LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
}
