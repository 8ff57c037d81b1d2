package dev.front.config;

/** Levels of the front's own log on stderr ({@code --log-level}). */
public enum LogLevel {
    ERROR, WARN, INFO, DEBUG
}
