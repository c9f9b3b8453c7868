// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Device.Gpio
{
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs e);

    public sealed class GpioPin
    {
        public PinValue Read() => throw null;

        public event PinValueChangedEventHandler ValueChanged { add => throw null; remove => throw null; }
    }
}
