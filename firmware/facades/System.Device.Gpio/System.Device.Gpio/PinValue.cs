// Facade for the device build check: signatures only, written from the upstream public API recorded in
// firmware/facades/manifest.json. Never run; the device links the real nanoFramework assembly.

namespace System.Device.Gpio
{
    public readonly struct PinValue
    {
        public static PinValue High => throw null;

        public static bool operator ==(PinValue a, PinValue b) => throw null;

        public static bool operator !=(PinValue a, PinValue b) => throw null;

        public override bool Equals(object obj) => throw null;

        public override int GetHashCode() => throw null;
    }
}
