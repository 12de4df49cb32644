package com.example.batches;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class BatchesApplication {
    public static void main(String[] args) {
        SpringApplication.run(BatchesApplication.class, args);
    }
}
