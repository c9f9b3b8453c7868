// Shared by the test projects that check alert e-mail end to end (linked into each, not a library).
using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.ComponentModel;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace HealthBlock.TestSupport;

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

    /// <summary>How long <see cref="WaitForMessagesAsync"/> and the start wait.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

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
        var port = await started.Task.WaitAsync(Timeout);
        return new TestSmtpServer(running, port, authenticator, store, stop);
    }

    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (_store.Messages.Count < count)
        {
            if (clock.Elapsed > Timeout)
            {
                throw new TimeoutException($"Timed out after {Timeout} waiting for {count} messages at the SMTP server (have {_store.Messages.Count}).");
            }

            await Task.Delay(5);
        }


        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>The lines of a received mail's text body, without line-end characters.</summary>
    public static List<string> BodyLines(MimeMessage mail) =>
        (mail.TextBody ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).ToList();

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
