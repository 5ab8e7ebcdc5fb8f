package io.mailpath.webhooks;

/** The request body is not a webhook batch (answered 400). Its message never quotes the body. */
final class MalformedBatchException extends Exception {
    MalformedBatchException(String message) {
        super(message);
    }
}
