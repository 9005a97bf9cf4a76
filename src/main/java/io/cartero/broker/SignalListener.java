package io.cartero.broker;

/**
 * Receives the signals of one room. Called on a broker thread; calls may overlap and need not
 * come in the order the signals were sent. A listener must not block; one that throws is
 * logged and still gets the next signal.
 */
public interface SignalListener {

    /** A signal sent to the room while this listener listened. */
    void onSignal(Signal signal);
}
