using System.Collections.Concurrent;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task An_unregistered_patients_gateway_waits_and_starts_once_the_admin_registers_it()
    {
        await using var world = await GatewayWorld.StartAsync(registerPatient: false);
        var log = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(log));
        var starting = world.StartGatewayAsync(loggers: loggers, configure: o => o with { RegistrationPollInterval = TimeSpan.FromMilliseconds(50) });

        await Eventually.WaitUntilAsync(() => !log.Warnings.IsEmpty, "the gateway's warning that its patient is not registered", TimeSpan.FromSeconds(30));
        var warning = Assert.Single(log.Warnings);
        Assert.Contains(world.Patient.Id.ToString(), warning, StringComparison.Ordinal);
        Assert.Contains("healthblock admin register", warning, StringComparison.Ordinal);
        Assert.False(starting.IsCompleted, "the gateway started without a registered patient");
        Assert.Null(await world.Ledger.GetIdentityAsync(world.Patient.Id));

        await world.RegisterAsync(world.Patient, Role.Patient, "patient");
        await starting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(world.Gateway.Running);
        Assert.Single(log.Warnings);
        var record = await world.Ledger.GetIdentityAsync(world.Patient.Id);
        Assert.Equal(Role.Patient, record!.Role);
        Assert.NotEqual(world.Patient.Id, record.RegisteredBy);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && formatter(state, exception).Contains("not registered", StringComparison.Ordinal))
            {
                Warnings.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
