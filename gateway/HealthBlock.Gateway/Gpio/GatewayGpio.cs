using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Gpio;

/// <summary>
/// The gateway's LEDs, pairing button and buzzer over System.Device.Gpio. When the machine has no GPIO chip (or a pin
/// cannot be opened) the part is disabled with one log line and every call becomes a no-op.
/// </summary>
public sealed class GatewayGpio : IDisposable
{
    private readonly GpioController? _controller;
    private readonly GpioOptions _options;
    private readonly ILogger _logger;
    private readonly bool _ownsController;
    private readonly Lock _lock = new();
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private readonly int? _status;
    private readonly int? _alert;
    private readonly int? _button;
    private readonly int? _buzzer;
    private GatewayHealth _health = GatewayHealth.Stopped;
    private long _alertUntil;
    private long _pairingUntil;
    private bool _blinkOn;

    /// <summary>Opens the configured pins on <paramref name="controller"/>, or on the machine's default controller when null.</summary>
    public GatewayGpio(GpioOptions options, ILogger logger, GpioController? controller = null, bool shouldDispose = true, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time ?? TimeProvider.System;
        _options = options;
        _logger = logger;
        try
        {
            _controller = controller ?? (options.Chip is { } chip ? new GpioController(new LibGpiodDriver(chip)) : new GpioController());
            _ownsController = controller is null || shouldDispose;
        }
        catch (Exception e) when (e is PlatformNotSupportedException or IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
        {
            _logger.LogInformation("No GPIO on this machine ({Message}); LEDs and pairing button disabled", e.Message);
        }

        _status = Open(options.StatusLedPin, PinMode.Output, "status LED");
        _alert = Open(options.AlertLedPin, PinMode.Output, "alert LED");
        _buzzer = Open(options.BuzzerPin, PinMode.Output, "buzzer");
        _button = Open(options.PairingButtonPin, PinMode.InputPullUp, "pairing button");
        if (_button is { } b)
        {
            _controller!.RegisterCallbackForPinValueChangedEvent(b, PinEventTypes.Falling, OnButton);
        }

        _timer = _time.CreateTimer(_ => Tick(), null, options.BlinkHalfPeriod, options.BlinkHalfPeriod);
    }

    /// <summary>True when at least one pin works.</summary>
    public bool Enabled => _status is not null || _alert is not null || _button is not null || _buzzer is not null;

    /// <summary>True while the pairing window is open.</summary>
    public bool PairingWindowOpen => NowMs() < Interlocked.Read(ref _pairingUntil);

    /// <summary>Raised when the pairing button opens the window.</summary>
    public event Action? PairingWindowOpened;

    /// <summary>Sets what the status LED shows.</summary>
    public void SetHealth(GatewayHealth health)
    {
        lock (_lock)
        {
            _health = health;
            Write(_status, health != GatewayHealth.Stopped);
        }
    }

    /// <summary>Lights the alert LED for the hold time and beeps.</summary>
    public void Alert()
    {
        Interlocked.Exchange(ref _alertUntil, NowMs() + (long)_options.AlertHold.TotalMilliseconds);
        lock (_lock)
        {
            Write(_alert, true);
            Write(_buzzer, true);
        }
    }

    /// <summary>Opens the pairing window (as the button does).</summary>
    public void OpenPairingWindow()
    {
        Interlocked.Exchange(ref _pairingUntil, NowMs() + (long)_options.PairingWindow.TotalMilliseconds);
        _logger.LogInformation("Pairing window open for {Seconds} s", (int)_options.PairingWindow.TotalSeconds);
        PairingWindowOpened?.Invoke();
    }

    /// <summary>One step of the LED timer (public for tests that drive time themselves).</summary>
    public void Tick()
    {
        lock (_lock)
        {
            if (_health == GatewayHealth.Backlog)
            {
                _blinkOn = !_blinkOn;
                Write(_status, _blinkOn);
            }

            Write(_buzzer, false);
            if (NowMs() >= Interlocked.Read(ref _alertUntil))
            {
                Write(_alert, false);
            }
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void OnButton(object sender, PinValueChangedEventArgs e) => OpenPairingWindow();

    private int? Open(int? pin, PinMode mode, string what)
    {
        if (pin is not { } p || _controller is null)
        {
            return null;
        }

        try
        {
            if (!_controller.IsPinModeSupported(p, mode))
            {
                _logger.LogWarning("GPIO {Pin} ({What}) does not support {Mode}; disabled", p, what, mode);
                return null;
            }

            _controller.OpenPin(p, mode);
            if (mode == PinMode.Output)
            {
                _controller.Write(p, PinValue.Low);
            }

            return p;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or PlatformNotSupportedException or NotSupportedException)
        {
            _logger.LogWarning("GPIO {Pin} ({What}) unavailable: {Message}; disabled", p, what, e.Message);
            return null;
        }
    }

    private void Write(int? pin, bool high)
    {
        if (pin is { } p)
        {
            _controller!.Write(p, high ? PinValue.High : PinValue.Low);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        SetHealth(GatewayHealth.Stopped);
        lock (_lock)
        {
            Write(_alert, false);
            Write(_buzzer, false);
        }

        if (_button is { } b)
        {
            _controller!.UnregisterCallbackForPinValueChangedEvent(b, OnButton);
        }

        if (_ownsController)
        {
            _controller?.Dispose();
        }
    }
}
