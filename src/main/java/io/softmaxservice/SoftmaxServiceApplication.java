package io.softmaxservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Softmax, its gradient and the cross-entropy loss over HTTP, computed with ND4J.
 */
@SpringBootApplication
public class SoftmaxServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(SoftmaxServiceApplication.class, args);
	}

}
