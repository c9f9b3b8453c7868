// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Device.Gpio
{
    public class PinValueChangedEventArgs
    {
        public PinEventTypes ChangeType => throw null;
    }
}
