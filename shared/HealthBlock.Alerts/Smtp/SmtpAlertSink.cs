using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace HealthBlock.Alerts;

/// <summary>
/// Mails alerts over SMTP (MailKit), rate-limited so that an attack cannot flood a mailbox.
/// <list type="bullet">
/// <item><see cref="Publish"/> only queues the alert (bounded queue; when it is full the alert is counted for the next
/// mail's summary) — a background loop does the SMTP work, so the raising thread never waits for the network.</item>
/// <item>At most <see cref="SmtpAlertOptions.MaxMailsPerWindow"/> mails (failed attempts included) go out in any
/// sliding <see cref="SmtpAlertOptions.Window"/>. Alerts that arrive while the limit is reached are aggregated and
/// the next mail — sent as soon as the window has room again — says
/// <c>N more alerts suppressed: by kind …</c>, with the reasons, the time span and the most frequent client
/// addresses and device ids.</item>
/// <item>A critical alert (a tampered block, a failed audit, a refused block) that arrives while that limit is used up
/// is mailed at once on its own budget, <see cref="SmtpAlertOptions.MaxCriticalMailsPerWindow"/>, with the held-back
/// rest summarised: a flood of lesser alerts cannot delay it by a window.</item>
/// <item>A mail lists up to <see cref="SmtpAlertOptions.MaxAlertsPerMail"/> alerts in full, one line per field, the
/// source (device id, device MAC, client address, client id, identity, node) by name.</item>
/// <item>A mail that cannot be sent is counted (<see cref="IAlertSink.DeferredFailures"/>) and logged, and its alerts
/// are summarised in the next mail, tried no sooner than <see cref="SmtpAlertOptions.RetryDelay"/> later.</item>
/// <item>Disposal flushes: queued alerts are mailed if the rate limit allows (within
/// <see cref="SmtpAlertOptions.DisposeTimeout"/>); what cannot be mailed is logged as a summary.</item>
/// </list>
/// </summary>
public sealed partial class SmtpAlertSink : IAlertSink, IAsyncDisposable, IDisposable
{
    private readonly SmtpAlertOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Alert> _queue;
    private readonly SuppressedAlerts _suppressed = new();
    private readonly SlidingWindowLimiter _limiter;
    private readonly SlidingWindowLimiter? _criticalLimiter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _accepted;
    private long _filtered;
    private long _overflowed;
    private long _mailed;
    private long _summarised;
    private long _unsent;
    private long _mailsSent;
    private long _sendFailures;
    private DateTimeOffset _retryAfter = DateTimeOffset.MinValue;
    private volatile bool _waiting;
    private int _disposed;

    /// <summary>Creates the sink and starts its mail loop.</summary>
    /// <param name="options">The server, addresses and limits (validated here).</param>
    /// <param name="logger">Where send failures and unsent summaries are logged.</param>
    /// <param name="timeProvider">The clock of the rate limit (the system clock by default).</param>
    /// <param name="name">The sink's name.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SmtpAlertSink(SmtpAlertOptions options, ILogger? logger = null, TimeProvider? timeProvider = null, string name = "smtp")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options.Validate();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        Name = name;
        _limiter = new SlidingWindowLimiter(options.MaxMailsPerWindow, options.Window);
        _criticalLimiter = options.MaxCriticalMailsPerWindow > 0 ? new SlidingWindowLimiter(options.MaxCriticalMailsPerWindow, options.Window) : null;
        _queue = Channel.CreateBounded<Alert>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public long DeferredFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>The counters now.</summary>
    public SmtpAlertSinkStatistics Statistics => new(
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _filtered),
        Interlocked.Read(ref _overflowed),
        _queue.Reader.Count,
        Interlocked.Read(ref _mailed),
        Interlocked.Read(ref _summarised),
        Interlocked.Read(ref _unsent),
        Interlocked.Read(ref _mailsSent),
        Interlocked.Read(ref _sendFailures));

    /// <summary>True while the loop waits (for alerts or for the rate limit) with nothing queued: the tests' quiet point.</summary>
    internal bool IsIdle => _waiting && _queue.Reader.Count == 0;

    /// <summary>Queues <paramref name="alert"/> for the next mail; never blocks.</summary>
    public void Publish(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Severity < _options.MinimumSeverity)
        {
            Interlocked.Increment(ref _filtered);
            return;
        }

        Interlocked.Increment(ref _accepted);
        if (_queue.Writer.TryWrite(alert))
        {
            return;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Increment(ref _unsent);
            return;
        }

        Interlocked.Increment(ref _overflowed);
        _suppressed.Add(alert, SuppressionReason.QueueFull);
    }

    /// <summary>Stops taking alerts and mails what is queued (rate limit permitting), waiting at most the dispose timeout.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_options.DisposeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogDisposeTimeout(_options.DisposeTimeout);
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                var now = _time.GetUtcNow();
                var rateWait = _limiter.WaitTime(now);
                var retryWait = _retryAfter - now;
                var wait = rateWait >= retryWait ? rateWait : retryWait;

                // Rate-limited but the server is not in back-off: critical alerts may still go, on their own budget.
                var critical = rateWait > TimeSpan.Zero && retryWait <= TimeSpan.Zero && _criticalLimiter?.WaitTime(now) <= TimeSpan.Zero;
                var batch = Drain(
                    rateWait > TimeSpan.Zero ? SuppressionReason.RateLimited
                    : retryWait > TimeSpan.Zero ? SuppressionReason.RetryBackoff
                    : null,
                    critical);
                if (critical && batch.Count > 0)
                {
                    _criticalLimiter!.TryAcquire(now);
                    await SendAsync(batch).ConfigureAwait(false);
                    continue;
                }

                if (wait <= TimeSpan.Zero && (batch.Count > 0 || _suppressed.Total > 0))
                {
                    _limiter.TryAcquire(now);
                    await SendAsync(batch).ConfigureAwait(false);
                    continue;
                }

                if (!await WaitForWorkAsync(_suppressed.Total > 0 ? wait : null).ConfigureAwait(false))
                {
                    break;
                }
            }

            // The queue is closed and empty: mail what is left if the rate limit allows, else log it.
            var final = Drain(null);
            if (final.Count > 0 || _suppressed.Total > 0)
            {
                if (_limiter.TryAcquire(_time.GetUtcNow()))
                {
                    await SendAsync(final).ConfigureAwait(false);
                }
                else
                {
                    foreach (var alert in final)
                    {
                        _suppressed.Add(alert, SuppressionReason.RateLimited);
                    }
                }
            }

            GiveUpRemaining();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            foreach (var alert in Drain(null))
            {
                _suppressed.Add(alert, SuppressionReason.RateLimited);
            }

            GiveUpRemaining();
        }
        catch (Exception e)
        {
            LogLoopFailed(e);
        }
    }

    /// <summary>
    /// Takes every queued alert: all into the summary when mail is held back for <paramref name="holdBack"/> (except,
    /// with <paramref name="passCritical"/>, critical ones up to the per-mail limit), else up to the per-mail limit for
    /// the next mail and the rest into the summary.
    /// </summary>
    private List<Alert> Drain(SuppressionReason? holdBack, bool passCritical = false)
    {
        var batch = new List<Alert>();
        while (_queue.Reader.TryRead(out var alert))
        {
            if (passCritical && alert.Severity == AlertSeverity.Critical && batch.Count < _options.MaxAlertsPerMail)
            {
                batch.Add(alert);
            }
            else if (holdBack is { } reason)
            {
                _suppressed.Add(alert, reason);
            }
            else if (batch.Count < _options.MaxAlertsPerMail)
            {
                batch.Add(alert);
            }
            else
            {
                _suppressed.Add(alert, SuppressionReason.MailFull);
            }
        }

        return batch;
    }

    /// <summary>
    /// Waits for a queued alert, or (when <paramref name="budget"/> is given) for the rate limit to have room for the
    /// pending summary. False when the queue is closed and empty.
    /// </summary>
    private async Task<bool> WaitForWorkAsync(TimeSpan? budget)
    {
        _waiting = true;
        try
        {
            if (budget is not { } delay)
            {
                return await _queue.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false);
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var read = _queue.Reader.WaitToReadAsync(wake.Token).AsTask();
            var timer = Task.Delay(delay, _time, wake.Token);
            var first = await Task.WhenAny(read, timer).ConfigureAwait(false);
            await wake.CancelAsync().ConfigureAwait(false);
            _stop.Token.ThrowIfCancellationRequested();
            if (first == read)
            {
                return await read.ConfigureAwait(false);
            }

            // The window has room again; if the queue was closed meanwhile, the final flush mails the summary.
            await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return !_queue.Reader.Completion.IsCompleted;
        }
        finally
        {
            _waiting = false;
        }
    }

    private async Task SendAsync(List<Alert> batch)
    {
        var suppressed = _suppressed.Take();
        var message = AlertMail.Build(_options, batch, suppressed, _time.GetUtcNow());
        try
        {
            await DeliverAsync(message).ConfigureAwait(false);
            _retryAfter = DateTimeOffset.MinValue;
            Interlocked.Add(ref _mailed, batch.Count);
            Interlocked.Add(ref _summarised, suppressed.Total);
            Interlocked.Increment(ref _mailsSent);
        }
        catch (Exception e)
        {
            foreach (var alert in batch)
            {
                _suppressed.Add(alert, SuppressionReason.SendFailed);
            }

            _suppressed.Restore(suppressed);
            if (_stop.IsCancellationRequested)
            {
                throw new OperationCanceledException("The alert mailer was stopped.", e, _stop.Token);
            }

            _retryAfter = _time.GetUtcNow() + _options.RetryDelay;
            LogSendFailed(_options.Host, _options.Port, batch.Count + suppressed.Total, _options.RetryDelay, e);
            Interlocked.Increment(ref _sendFailures);
        }
    }

    private async Task DeliverAsync(MimeMessage message)
    {
        using var client = new SmtpClient();
        client.Timeout = (int)_options.SendTimeout.TotalMilliseconds;
        if (_options.ServerCertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        var security = _options.Tls switch
        {
            SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
            SmtpTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        var token = _stop.Token;
        await client.ConnectAsync(_options.Host, _options.Port, security, token).ConfigureAwait(false);
        if (_options.Credentials is { } credentials)
        {
            await client.AuthenticateAsync(credentials, token).ConfigureAwait(false);
        }

        await client.SendAsync(message, token).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, token).ConfigureAwait(false);
    }

    /// <summary>Logs and counts what is left when the sink stops.</summary>
    private void GiveUpRemaining()
    {
        var left = _suppressed.Take();
        if (left.Total == 0)
        {
            return;
        }

        Interlocked.Add(ref _unsent, left.Total);
        LogUnsent(left.Total, left.Describe(_options).Split('\n')[0]);
    }

    [LoggerMessage(EventId = 910, Level = LogLevel.Error, Message = "Alert mail to {Host}:{Port} failed; {Alerts} alerts will be summarised in the next mail, tried again in {RetryDelay} at the earliest")]
    private partial void LogSendFailed(string host, int port, long alerts, TimeSpan retryDelay, Exception exception);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "{Alerts} alerts were not mailed when the alert mailer stopped: {Summary}")]
    private partial void LogUnsent(long alerts, string summary);

    [LoggerMessage(EventId = 912, Level = LogLevel.Warning, Message = "The alert mailer did not finish within {Timeout}; queued alerts are abandoned")]
    private partial void LogDisposeTimeout(TimeSpan timeout);

    [LoggerMessage(EventId = 913, Level = LogLevel.Critical, Message = "The alert mail loop stopped unexpectedly; alerts are no longer mailed")]
    private partial void LogLoopFailed(Exception exception);
}
