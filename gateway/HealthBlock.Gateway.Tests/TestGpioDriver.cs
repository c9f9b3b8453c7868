using System.Device.Gpio;

namespace HealthBlock.Gateway.Tests;

/// <summary>A GPIO driver in memory, as dotnet/iot's own tests drive GpioController: pins, modes, levels and edges.</summary>
internal sealed class TestGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Handler)>> _callbacks = [];
    private readonly Lock _lock = new();

    public List<(int Pin, PinValue Value)> Writes { get; } = [];

    protected override int PinCount => 28;

    public PinValue Level(int pin)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(pin, PinValue.Low);
        }
    }

    public bool IsOpen(int pin)
    {
        lock (_lock)
        {
            return _modes.ContainsKey(pin);
        }
    }

    /// <summary>Drives an input pin as the outside world would, raising edge callbacks.</summary>
    public void Drive(int pin, PinValue value)
    {
        List<(PinEventTypes, PinChangeEventHandler)> handlers;
        PinValue old;
        lock (_lock)
        {
            old = _values.GetValueOrDefault(pin, PinValue.High);
            _values[pin] = value;
            handlers = [.. _callbacks.GetValueOrDefault(pin, [])];
        }

        var edge = old == PinValue.High && value == PinValue.Low ? PinEventTypes.Falling
            : old == PinValue.Low && value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.None;
        foreach (var (types, handler) in handlers)
        {
            if (edge != PinEventTypes.None && types.HasFlag(edge))
            {
                handler(this, new PinValueChangedEventArgs(edge, pin));
            }
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            _modes[pinNumber] = PinMode.Input;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _modes.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            _modes[pinNumber] = mode;
            if (mode == PinMode.InputPullUp)
            {
                _values[pinNumber] = PinValue.High;
            }
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return _modes[pinNumber];
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => pinNumber < PinCount;

    protected override PinValue Read(int pinNumber) => Level(pinNumber);

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock)
        {
            _values[pinNumber] = value;
            Writes.Add((pinNumber, value));
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        new() { TimedOut = true, EventTypes = PinEventTypes.None };

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                _callbacks[pinNumber] = list = [];
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            _callbacks.GetValueOrDefault(pinNumber)?.RemoveAll(c => c.Handler == callback);
        }
    }
}
